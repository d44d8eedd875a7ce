// History scans of real repositories: attribution, exposure window, HEAD, paths, and every odd shape a repository takes.
using SecretScan.Core;

namespace SecretScan.Git.Tests;

public class HistoryScanTests
{
    [Fact]
    public void Secret_added_then_deleted_is_found_and_marked_gone_from_HEAD()
    {
        using var repo = new TestRepo();
        var secret = Fakes.GitHubToken();
        repo.Write("app.cfg", Fakes.Filler(5) + "token = " + secret + "\n" + Fakes.Filler(3, "b"));
        var added = repo.Commit("add config");
        repo.Write("other.txt", "unrelated\n");
        var lastHolding = repo.Commit("unrelated change");
        File.Delete(Path.Combine(repo.Path, "app.cfg"));
        repo.Commit("remove config");

        var f = Engine.Single(Engine.History(repo.Path), secret);
        Assert.Equal("app.cfg", f.Path);
        Assert.Equal(6, f.Line);
        Assert.Equal(added, f.Commit);
        Assert.NotNull(f.History);
        Assert.False(f.History!.InHead);
        Assert.Equal(added, f.History.Commit);
        Assert.Equal("Test Author", f.History.Author);
        Assert.Equal("add config", f.History.Summary);
        Assert.Equal(lastHolding, f.History.LastSeenCommit);
        Assert.True(f.History.LastSeen > f.History.FirstSeen);
    }

    [Fact]
    public void Secret_scrubbed_from_a_line_is_still_found_and_still_present_one_is_marked_in_HEAD()
    {
        using var repo = new TestRepo();
        var gone = Fakes.GitHubToken();
        var kept = Fakes.GitHubToken();
        repo.Write("settings.env", "A=" + gone + "\nB=" + kept + "\n");
        var first = repo.Commit("settings");
        repo.Write("settings.env", "A=${A_FROM_VAULT}\nB=" + kept + "\n");
        var head = repo.Commit("scrub A");

        var result = Engine.History(repo.Path);
        var g = Engine.Single(result, gone);
        var k = Engine.Single(result, kept);
        Assert.False(g.History!.InHead);
        Assert.Equal(first, g.History.LastSeenCommit);
        Assert.True(k.History!.InHead);
        Assert.Equal(head, k.History.LastSeenCommit);
        Assert.Equal(first, k.History.Commit);

        // The same secret in two versions of the file is one finding with two occurrences.
        Assert.Equal(2, k.History.Occurrences);
        Assert.Equal(2, result.Findings.Count);
    }

    [Fact]
    public void Renamed_and_moved_file_is_one_finding_at_the_HEAD_path_with_both_paths()
    {
        using var repo = new TestRepo();
        var secret = Fakes.GitHubToken();
        repo.Write("old.txt", Fakes.Filler(3) + secret + "\n");
        var added = repo.Commit("add");
        repo.Git("mv", "old.txt", "moved.txt");
        repo.Commit("rename");
        Directory.CreateDirectory(Path.Combine(repo.Path, "deep", "er"));
        repo.Git("mv", "moved.txt", "deep/er/new.txt");
        repo.Write("deep/er/new.txt", "header line\n" + File.ReadAllText(Path.Combine(repo.Path, "deep/er/new.txt")));
        repo.Commit("move and edit above the secret");

        var f = Engine.Single(Engine.History(repo.Path), secret);
        Assert.Equal("deep/er/new.txt", f.Path);
        Assert.Equal(5, f.Line);
        Assert.Equal(added, f.Commit);
        Assert.True(f.History!.InHead);
        Assert.Equal(new[] { "deep/er/new.txt", "moved.txt", "old.txt" }, f.History.Paths);
        Assert.Equal(SecretIdentity.Fingerprint(f.RuleId, f.SecretHash, "deep/er/new.txt"), f.Fingerprint);
    }

    [Fact]
    public void Merge_attributes_to_the_branch_commit_and_a_conflict_resolution_to_the_merge()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "base\n");
        repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "feature");
        var onBranch = Fakes.GitHubToken();
        repo.Write("b.txt", "token " + onBranch + "\n");
        var branchCommit = repo.Commit("feature adds a token");
        repo.Write("a.txt", "feature side\n");
        repo.Commit("feature edits a");
        repo.Git("checkout", "-q", "main");
        repo.Write("a.txt", "main side\n");
        repo.Commit("main edits a");
        Assert.NotEqual(0, TestRepo.TryGitIn(repo.Path, "merge", "-q", "--no-ff", "feature", "-m", "merge").Code);
        var inResolution = Fakes.GitHubToken();
        repo.Write("a.txt", "resolved " + inResolution + "\n");
        var merge = repo.Commit("merge feature");

        var result = Engine.History(repo.Path);
        Assert.Equal(branchCommit, Engine.Single(result, onBranch).Commit);
        Assert.Equal(merge, Engine.Single(result, inResolution).Commit);
    }

    [Fact]
    public void Side_merged_with_strategy_ours_was_last_seen_on_the_side_branch()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "side");
        var secret = Fakes.GitHubToken();
        repo.Write("b.txt", secret + "\n");
        var sideCommit = repo.Commit("side adds a token");
        repo.Git("checkout", "-q", "main");
        repo.Git("merge", "-q", "-s", "ours", "side", "-m", "merge without taking it");
        repo.Git("branch", "-D", "side");

        var f = Engine.Single(Engine.History(repo.Path), secret);
        Assert.Equal(sideCommit, f.Commit);
        Assert.False(f.History!.InHead);
        Assert.Equal(sideCommit, f.History.LastSeenCommit);
    }

    [Fact]
    public void Branch_only_orphan_and_tag_only_commits_are_scanned_with_all_refs_and_not_with_branch()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "main\n");
        repo.Commit("main");
        var onBranch = Fakes.GitHubToken();
        var onOrphan = Fakes.GitHubToken();
        var onTag = Fakes.GitHubToken();
        repo.Git("checkout", "-q", "-b", "wip");
        repo.Write("wip.txt", onBranch + "\n");
        repo.Commit("wip");
        repo.Git("checkout", "-q", "--orphan", "pages");
        repo.Git("rm", "-rq", "--cached", ".");
        repo.Write("orphan.txt", onOrphan + "\n");
        repo.Git("add", "orphan.txt");
        repo.Git("commit", "-q", "-m", "orphan root");
        repo.Git("checkout", "-q", "-f", "main");
        repo.Git("clean", "-fdq");
        repo.Git("checkout", "-q", "-b", "release");
        repo.Write("tagged.txt", onTag + "\n");
        repo.Commit("tagged");
        repo.Git("tag", "-a", "v1", "-m", "release v1");
        repo.Git("checkout", "-q", "main");
        repo.Git("branch", "-D", "release");

        var all = Engine.History(repo.Path);
        foreach (var s in new[] { onBranch, onOrphan, onTag })
        {
            var f = Engine.Single(all, s);
            Assert.False(f.History!.InHead);
        }

        var mainOnly = Engine.History(repo.Path, new HistoryOptions { Branches = new[] { "main" } });
        Assert.Empty(mainOnly.Findings);
        Assert.Single(Engine.History(repo.Path, new HistoryOptions { Branches = new[] { "v1" } }).Findings);
    }

    [Fact]
    public void Binary_blob_LFS_pointer_and_submodule_are_skipped_and_reported()
    {
        using var repo = new TestRepo();
        var inBinary = Fakes.GitHubToken();
        repo.WriteBytes("blob.bin", new byte[] { 0, 1, 2 }.Concat(System.Text.Encoding.ASCII.GetBytes(inBinary)).ToArray());
        repo.Write("model.onnx", "version https://git-lfs.github.com/spec/v1\noid sha256:" + new string('a', 64) + "\nsize 1234\n");
        repo.Commit("binary and lfs");
        var sub = repo.Git("rev-parse", "HEAD");
        repo.Git("update-index", "--add", "--cacheinfo", "160000," + sub + ",vendor/lib");
        repo.Git("commit", "-q", "-m", "submodule");

        var result = Engine.History(repo.Path);
        Assert.Empty(result.Findings);
        Assert.Contains(result.Warnings, w => w.Kind == ScanWarningKind.Skipped && w.Path == "blob.bin" && w.Message.Contains("binary", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Path == "model.onnx" && w.Message.Contains("LFS", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Path == "vendor/lib" && w.Message.Contains("submodule", StringComparison.Ordinal));
    }

    [Fact]
    public void Shallow_clone_scans_what_it_has_and_warns()
    {
        using var origin = new TestRepo();
        var old = Fakes.GitHubToken();
        var recent = Fakes.GitHubToken();
        origin.Write("old.txt", old + "\n");
        origin.Commit("old");
        File.Delete(Path.Combine(origin.Path, "old.txt"));
        origin.Commit("drop old");
        origin.Write("recent.txt", recent + "\n");
        origin.Commit("recent");
        using var clone = new TestRepo(init: false);
        TestRepo.GitIn(Path.GetTempPath(), "clone", "-q", "--depth", "1", "file://" + origin.Path, clone.Path);

        var result = Engine.History(clone.Path);
        Engine.Single(result, recent);
        Assert.DoesNotContain(result.Findings, f => f.Secret == old);
        Assert.Contains(result.Warnings, w => w.Message.Contains("shallow", StringComparison.Ordinal) && w.Message.Contains("--unshallow", StringComparison.Ordinal));
    }

    [Fact]
    public void Bare_repository_and_worktree_are_scanned()
    {
        using var repo = new TestRepo();
        var secret = Fakes.GitHubToken();
        repo.Write("a.txt", secret + "\n");
        repo.Commit("a");
        using var bare = new TestRepo(init: false);
        TestRepo.GitIn(Path.GetTempPath(), "clone", "-q", "--bare", repo.Path, bare.Path);
        var inBare = Engine.Single(Engine.History(bare.Path), secret);
        Assert.True(inBare.History!.InHead);

        var worktree = Path.Combine(Path.GetTempPath(), "secretscan-wt-" + Guid.NewGuid().ToString("N"));
        repo.Git("worktree", "add", "-q", "-b", "side", worktree);
        try
        {
            var other = Fakes.GitHubToken();
            File.WriteAllText(Path.Combine(worktree, "side.txt"), other + "\n");
            TestRepo.GitIn(worktree, "add", "side.txt");
            TestRepo.GitIn(worktree, "commit", "-q", "-m", "side");
            var result = Engine.History(worktree);
            Assert.True(Engine.Single(result, other).History!.InHead);
            Assert.Equal(Path.GetFullPath(worktree).TrimEnd('/'), result.RepositoryRoot.TrimEnd('/'));
        }
        finally
        {
            repo.Git("worktree", "remove", "--force", worktree);
        }
    }

    [Fact]
    public void Non_UTF8_path_is_reported_with_git_escapes()
    {
        using var repo = new TestRepo();
        var secret = Fakes.GitHubToken();
        var name = System.Text.Encoding.Latin1.GetString(new byte[] { 0x63, 0x61, 0x66, 0xE9 }) + ".txt";
        repo.Write("placeholder.txt", secret + "\n");
        repo.Git("add", "placeholder.txt");
        repo.Git("commit", "-q", "-m", "x");

        // Rename through plumbing to a path whose bytes are Latin-1, not UTF-8: .NET cannot create such a file name.
        var blob = repo.Git("rev-parse", "HEAD:placeholder.txt");
        var tree = BuildTree(repo, "100644 blob " + blob, new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74 });
        var commit = TestRepo.GitIn(repo.Path, "commit-tree", tree, "-p", "HEAD", "-m", "latin-1 name");
        repo.Git("update-ref", "refs/heads/main", commit);

        var f = Engine.Single(Engine.History(repo.Path), secret);
        Assert.Equal("caf\\351.txt", f.Path);
        Assert.Contains("placeholder.txt", f.History!.Paths);
        Assert.NotEqual(name, f.Path);
    }

    [Fact]
    public void Empty_repository_has_no_findings_and_no_error()
    {
        using var repo = new TestRepo();
        var result = Engine.History(repo.Path);
        Assert.Empty(result.Findings);
        Assert.Equal(0, result.Statistics.Errors);
        Assert.Null(result.HeadCommit);
    }

    [Fact]
    public void Corrupt_object_is_an_error_and_the_rest_is_still_scanned()
    {
        using var repo = new TestRepo();
        var good = Fakes.GitHubToken();
        var lost = Fakes.GitHubToken();
        repo.Write("good.txt", good + "\n");
        repo.Write("lost.txt", lost + "\n");
        repo.Commit("two files");
        var blob = repo.Git("rev-parse", "HEAD:lost.txt");
        var file = Path.Combine(repo.Path, ".git", "objects", blob[..2], blob[2..]);
        File.SetAttributes(file, FileAttributes.Normal);
        File.WriteAllBytes(file, System.Text.Encoding.ASCII.GetBytes("not a zlib stream"));

        var result = Engine.History(repo.Path);
        Engine.Single(result, good);
        Assert.Equal(1, result.Statistics.Errors);
        var error = Assert.Single(result.Warnings, w => w.Kind == ScanWarningKind.Error);
        Assert.Equal("lost.txt", error.Path);
        Assert.Contains(blob, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detached_HEAD_decides_what_is_still_present()
    {
        using var repo = new TestRepo();
        var secret = Fakes.GitHubToken();
        repo.Write("a.txt", "nothing\n");
        var before = repo.Commit("before");
        repo.Write("a.txt", secret + "\n");
        repo.Commit("add secret");
        repo.Git("checkout", "-q", "--detach", before);

        var f = Engine.Single(Engine.History(repo.Path), secret);
        Assert.False(f.History!.InHead);
    }

    [Fact]
    public void Unborn_branch_still_scans_the_other_refs()
    {
        using var repo = new TestRepo();
        var secret = Fakes.GitHubToken();
        repo.Write("a.txt", secret + "\n");
        repo.Commit("a");
        repo.Git("checkout", "-q", "--orphan", "fresh");

        var result = Engine.History(repo.Path);
        Assert.Null(result.HeadCommit);
        Assert.False(Engine.Single(result, secret).History!.InHead);
    }

    [Fact]
    public void Unknown_branch_and_folder_outside_git_are_clear_errors()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "x\n");
        repo.Commit("a");
        var e = Assert.Throws<GitException>(() => Engine.History(repo.Path, new HistoryOptions { Branches = new[] { "no-such-branch" } }));
        Assert.Contains("unknown revision 'no-such-branch'", e.Message, StringComparison.Ordinal);

        var outside = Path.Combine(Path.GetTempPath(), "secretscan-nogit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            var e2 = Assert.Throws<GitException>(() => Engine.History(outside));
            Assert.Contains("not in a git repository", e2.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside);
        }
    }

    [Fact]
    public void Max_commits_and_since_limit_the_scope()
    {
        using var repo = new TestRepo();
        var old = Fakes.GitHubToken();
        var recent = Fakes.GitHubToken();
        repo.Write("old.txt", old + "\n");
        repo.Commit("old");
        repo.Write("recent.txt", recent + "\n");
        var last = repo.Commit("recent");

        var newest = Engine.History(repo.Path, new HistoryOptions { MaxCommits = 1 });
        Assert.Equal(recent, Assert.Single(newest.Findings).Secret);
        var since = repo.Git("log", "-1", "--format=%cI", last);
        var sinceScan = Engine.History(repo.Path, new HistoryOptions { Since = DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(recent, Assert.Single(sinceScan.Findings).Secret);
    }

    [Fact]
    public void Path_filter_and_allowlists_apply_to_every_path_a_secret_had()
    {
        using var repo = new TestRepo();
        var vendored = Fakes.GitHubToken();
        var moved = Fakes.GitHubToken();
        repo.Write("vendor/lib.txt", vendored + "\n");
        repo.Write("vendor/app.txt", moved + "\n");
        repo.Commit("vendored");
        Directory.CreateDirectory(Path.Combine(repo.Path, "src"));
        repo.Git("mv", "vendor/app.txt", "src/app.txt");
        repo.Commit("move app out of vendor");

        bool NotVendor(string p) => !p.StartsWith("vendor/", StringComparison.Ordinal);
        var result = Engine.History(repo.Path, new HistoryOptions { PathFilter = NotVendor });
        var f = Assert.Single(result.Findings);
        Assert.Equal(moved, f.Secret);
        Assert.Equal("src/app.txt", f.Path);
        Assert.Equal(new[] { "src/app.txt" }, f.History!.Paths);
    }

    [Fact]
    public void Pem_key_spanning_lines_is_found_even_when_its_armour_lines_were_seen_before()
    {
        using var repo = new TestRepo();
        var rng = new Random();
        var first = Core.Validation.ExampleTemplates.Expand("{{pem:rsa}}", rng);
        var second = Core.Validation.ExampleTemplates.Expand("{{pem:rsa}}", rng);
        repo.Write("keys/a.pem", first + "\n");
        repo.Commit("first key");
        repo.Write("keys/b.pem", "# rotated\n" + second + "\n");
        repo.Commit("second key");

        var result = Engine.History(repo.Path);
        Assert.Contains(result.Findings, f => f.Path == "keys/a.pem");
        Assert.Contains(result.Findings, f => f.Path == "keys/b.pem" && f.Line == 2);
    }

    /// <summary>Writes a tree holding one entry whose name is raw bytes, through `git mktree`.</summary>
    private static string BuildTree(TestRepo repo, string modeTypeId, byte[] name)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = repo.Path, RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("mktree");
        using var p = System.Diagnostics.Process.Start(start)!;
        var line = System.Text.Encoding.ASCII.GetBytes(modeTypeId + "\t").Concat(name).Append((byte)'\n').ToArray();
        p.StandardInput.BaseStream.Write(line);
        p.StandardInput.Close();
        var tree = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return tree;
    }
}
