// Pull-request ranges and staged changes: only what the change added, with the right line numbers, and loud failures.
namespace SecretScan.Git.Tests;

public class RangeAndStagedTests
{
    [Fact]
    public void Range_reports_only_what_its_commits_added()
    {
        using var repo = new TestRepo();
        var before = Fakes.GitHubToken();
        repo.Write("config.txt", Fakes.Filler(3) + before + "\n");
        var baseCommit = repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "pr");
        var added = Fakes.GitHubToken();
        var addedThenRemoved = Fakes.GitHubToken();
        repo.Write("config.txt", "# moved down\n" + Fakes.Filler(3) + before + "\n" + added + "\n");
        var first = repo.Commit("pr 1");
        repo.Write("tmp.txt", addedThenRemoved + "\n");
        repo.Commit("pr 2");
        File.Delete(Path.Combine(repo.Path, "tmp.txt"));
        repo.Commit("pr 3");

        var result = Engine.Range(repo.Path, baseCommit + "..pr");
        Assert.Equal(3, result.Statistics.Commits);
        var a = Engine.Single(result, added);
        Assert.Equal(("config.txt", 6), (a.Path, a.Line));
        Assert.Equal(first, a.Commit);
        Assert.True(a.History!.InHead);
        Assert.False(Engine.Single(result, addedThenRemoved).History!.InHead);
        Assert.DoesNotContain(result.Findings, f => f.Secret == before);
        Assert.Equal(2, result.Findings.Count);

        // "main...pr" compares from where they meet, like a pull request.
        Assert.Equal(2, Engine.Range(repo.Path, "main...pr").Findings.Count);
    }

    [Fact]
    public void Range_through_a_merge_does_not_report_the_base_side_again()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        var baseCommit = repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "pr");
        var mine = Fakes.GitHubToken();
        repo.Write("mine.txt", mine + "\n");
        repo.Commit("pr");
        repo.Git("checkout", "-q", "main");
        var theirs = Fakes.GitHubToken();
        repo.Write("theirs.txt", theirs + "\n");
        var mainTip = repo.Commit("main moves on");
        repo.Git("checkout", "-q", "pr");
        repo.Git("merge", "-q", "--no-edit", "main");

        var result = Engine.Range(repo.Path, mainTip + "..pr");
        Assert.Equal(mine, Assert.Single(result.Findings).Secret);
        Assert.NotEqual(baseCommit, result.HeadCommit);
    }

    [Fact]
    public void Range_with_unknown_revisions_or_no_commits_says_so()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        repo.Commit("a");
        Assert.Contains("unknown revision 'nope'", Assert.Throws<GitException>(() => Engine.Range(repo.Path, "nope..HEAD")).Message, StringComparison.Ordinal);
        Assert.Contains("unknown revision 'nope'", Assert.Throws<GitException>(() => Engine.Range(repo.Path, "HEAD..nope")).Message, StringComparison.Ordinal);
        Assert.Contains("BASE..HEAD", Assert.Throws<GitException>(() => Engine.Range(repo.Path, "HEAD")).Message, StringComparison.Ordinal);
        var empty = Engine.Range(repo.Path, "HEAD..HEAD");
        Assert.Empty(empty.Findings);
        Assert.Contains(empty.Warnings, w => w.Message.Contains("holds no commits", StringComparison.Ordinal));
    }

    [Fact]
    public void Range_in_a_shallow_clone_fails_with_the_fetch_depth_it_needs()
    {
        using var origin = new TestRepo();
        origin.Write("a.txt", "a\n");
        var baseCommit = origin.Commit("base");
        for (var i = 0; i < 3; i++)
        {
            origin.Write("a.txt", "a" + i + "\n");
            origin.Commit("c" + i);
        }

        origin.Git("config", "uploadpack.allowAnySHA1InWant", "true");
        using var clone = new TestRepo(init: false);
        TestRepo.GitIn(Path.GetTempPath(), "clone", "-q", "--depth", "2", "file://" + origin.Path, clone.Path);
        var e = Assert.Throws<GitException>(() => Engine.Range(clone.Path, baseCommit + "..HEAD"));
        Assert.Contains("shallow", e.Message, StringComparison.Ordinal);
        Assert.Contains("fetch depth above 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("--unshallow", e.Message, StringComparison.Ordinal);

        // The base fetched on its own (as CI often does) but the history between still missing: still a clear error.
        TestRepo.GitIn(clone.Path, "fetch", "-q", "--depth", "1", "origin", baseCommit);
        var e2 = Assert.Throws<GitException>(() => Engine.Range(clone.Path, baseCommit + "..HEAD"));
        Assert.Contains("fetch depth", e2.Message, StringComparison.Ordinal);

        TestRepo.GitIn(clone.Path, "fetch", "-q", "--unshallow");
        Assert.Equal(3, Engine.Range(clone.Path, baseCommit + "..HEAD").Statistics.Commits);
    }

    [Fact]
    public void Staged_reports_added_lines_only_with_the_staged_files_line_numbers()
    {
        using var repo = new TestRepo();
        var old = Fakes.GitHubToken();
        repo.Write("app.cfg", Fakes.Filler(4) + old + "\n");
        repo.Commit("base");
        var fresh = Fakes.GitHubToken();
        var unstaged = Fakes.GitHubToken();
        repo.Write("app.cfg", "# header\n" + Fakes.Filler(4) + old + "\n" + Fakes.Filler(2, "x") + "key " + fresh + "\n");
        repo.Git("add", "app.cfg");
        repo.Write("app.cfg", File.ReadAllText(Path.Combine(repo.Path, "app.cfg")) + unstaged + "\n");
        repo.Write("untracked.txt", unstaged + "\n");

        var result = Engine.Staged(repo.Path);
        var f = Assert.Single(result.Findings);
        Assert.Equal(fresh, f.Secret);
        Assert.Equal(("app.cfg", 9), (f.Path, f.Line));
        Assert.Null(f.Commit);
        Assert.Null(f.History);
    }

    [Fact]
    public void Staged_rename_is_not_a_new_secret_and_unborn_branch_compares_with_nothing()
    {
        using var repo = new TestRepo();
        var secret = Fakes.GitHubToken();
        repo.Write("a.txt", Fakes.Filler(20) + secret + "\n");
        repo.Git("add", "a.txt");
        var unborn = Engine.Staged(repo.Path);
        Assert.Equal(21, Engine.Single(unborn, secret).Line);

        repo.Commit("a");
        repo.Git("mv", "a.txt", "b.txt");
        Assert.Empty(Engine.Staged(repo.Path).Findings);
    }

    [Fact]
    public void Staged_in_a_bare_repository_is_an_error()
    {
        using var bare = new TestRepo(bare: true);
        Assert.Contains("bare", Assert.Throws<GitException>(() => Engine.Staged(bare.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Range_parse_accepts_two_and_three_dots()
    {
        Assert.Equal(("main", "HEAD", false), RangeScan.Parse("main.."));
        Assert.Equal(("a", "b", true), RangeScan.Parse("a...b"));
        Assert.Equal(("origin/main", "feature/x", false), RangeScan.Parse("origin/main..feature/x"));
    }
}
