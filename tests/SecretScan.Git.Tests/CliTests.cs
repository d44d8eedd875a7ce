// The `secretscan` process on real repositories: exit codes, one-line errors, SARIF runs, hooks and baselines.
using System.Text.Json;

namespace SecretScan.Git.Tests;

public class CliTests
{
    [Fact]
    public void History_SARIF_has_a_tree_run_and_a_history_run_with_the_commit()
    {
        using var repo = new TestRepo();
        var gone = Fakes.GitHubToken();
        var kept = Fakes.GitHubToken();
        repo.Write("a.txt", gone + "\n");
        repo.Write("b.txt", kept + "\n");
        var added = repo.Commit("add");
        File.Delete(Path.Combine(repo.Path, "a.txt"));
        repo.Commit("remove a");
        var sarif = Path.Combine(repo.Path, "..", Guid.NewGuid().ToString("N") + ".sarif");
        try
        {
            var run = CliRun.Run(repo.Path, "scan", "--git", ".", "--format", "sarif", "--output", sarif);
            Assert.True(run.ExitCode == 1, run.StdErr);
            using var doc = JsonDocument.Parse(File.ReadAllText(sarif));
            var runs = doc.RootElement.GetProperty("runs");
            Assert.Equal(2, runs.GetArrayLength());
            Assert.Equal("secretscan/tree/", runs[0].GetProperty("automationDetails").GetProperty("id").GetString());
            Assert.Equal("secretscan/history/", runs[1].GetProperty("automationDetails").GetProperty("id").GetString());
            var tree = Assert.Single(runs[0].GetProperty("results").EnumerateArray());
            Assert.Equal("b.txt", tree.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
            var history = Assert.Single(runs[1].GetProperty("results").EnumerateArray());
            var props = history.GetProperty("properties");
            Assert.Equal(added, props.GetProperty("commit").GetString());
            Assert.False(props.GetProperty("history").GetProperty("inHead").GetBoolean());
            Assert.Equal("a.txt", history.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.DoesNotContain(gone, File.ReadAllText(sarif), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(sarif);
        }
    }

    [Fact]
    public void Bad_input_is_one_line_and_exit_code_2()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        repo.Commit("a");
        var outside = Path.Combine(Path.GetTempPath(), "secretscan-nogit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            foreach (var (dir, args, expected) in new[]
            {
                (outside, new[] { "scan", "--git", "." }, "not in a git repository"),
                (outside, new[] { "scan", "--staged", "." }, "not in a git repository"),
                (repo.Path, new[] { "scan", "--git", "--branch", "nope", "." }, "unknown revision 'nope'"),
                (repo.Path, new[] { "scan", "--range", "nope..HEAD", "." }, "unknown revision 'nope'"),
                (repo.Path, new[] { "scan", "--staged", "--git", "." }, "cannot be combined"),
                (repo.Path, new[] { "scan", "--branch", "main", "." }, "--branch needs --git"),
                (repo.Path, new[] { "scan", "--git", "--since", "yesterday-ish", "." }, "--since"),
            })
            {
                var run = CliRun.Run(dir, args);
                Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: exit {run.ExitCode}\n{run.StdErr}");
                var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith("secretscan: error: ", line, StringComparison.Ordinal);
                Assert.Contains(expected, line, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(outside);
        }
    }

    [Fact]
    public void Empty_repository_and_empty_range_exit_0_and_a_corrupt_object_exits_2_with_the_report()
    {
        using var empty = new TestRepo();
        Assert.Equal(0, CliRun.Run(empty.Path, "scan", "--git", ".").ExitCode);

        using var repo = new TestRepo();
        var good = Fakes.GitHubToken();
        repo.Write("good.txt", good + "\n");
        repo.Write("lost.txt", "lost " + Fakes.GitHubToken() + "\n");
        repo.Commit("two");
        var range = CliRun.Run(repo.Path, "scan", "--range", "HEAD..HEAD", ".");
        Assert.Equal(0, range.ExitCode);
        Assert.Contains("holds no commits", range.StdErr, StringComparison.Ordinal);

        var blob = repo.Git("rev-parse", "HEAD:lost.txt");
        var file = Path.Combine(repo.Path, ".git", "objects", blob[..2], blob[2..]);
        File.SetAttributes(file, FileAttributes.Normal);
        File.WriteAllText(file, "corrupt");
        var run = CliRun.Run(repo.Path, "scan", "--git", ".", "--format", "json");
        Assert.Equal(2, run.ExitCode);
        using var doc = JsonDocument.Parse(run.StdOut);
        Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Contains(doc.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("kind").GetString() == "error" && w.GetProperty("path").GetString() == "lost.txt");
    }

    [Fact]
    public void Staged_scan_exit_codes()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        repo.Commit("a");
        Assert.Equal(0, CliRun.Run(repo.Path, "scan", "--staged").ExitCode);
        repo.Write("a.txt", "a\n" + Fakes.GitHubToken() + "\n");
        repo.Git("add", "a.txt");
        var run = CliRun.Run(repo.Path, "scan", "--staged");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("a.txt:2:1", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Hook_blocks_a_commit_that_adds_a_secret_and_chains_an_existing_hook()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        repo.Commit("a");
        var hooks = Path.Combine(repo.Path, ".git", "hooks");
        Directory.CreateDirectory(hooks);
        var foreign = Path.Combine(hooks, "pre-commit");
        var marker = Path.Combine(repo.Path, "..", Guid.NewGuid().ToString("N") + ".ran");
        File.WriteAllText(foreign, "#!/bin/sh\ntouch '" + marker + "'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(foreign, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var refused = CliRun.Run(repo.Path, "hook", "install");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--chain", refused.StdErr, StringComparison.Ordinal);

        Assert.Equal(0, CliRun.Run(repo.Path, "hook", "install", "--chain").ExitCode);
        Assert.True(PreCommitHook.IsOurs(foreign));
        Assert.Equal(0, CliRun.Run(repo.Path, "hook", "install").ExitCode);

        repo.Write("a.txt", "a\n" + Fakes.GitHubToken() + "\n");
        repo.Git("add", "a.txt");
        var blocked = TestRepo.TryGitIn(repo.Path, "commit", "-q", "-m", "leak");
        Assert.NotEqual(0, blocked.Code);
        Assert.Contains("SS1100", blocked.StdOut + blocked.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_", (blocked.StdOut + blocked.StdErr).Replace("ghp_*", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(File.Exists(marker), "the chained hook ran first");

        repo.Write("a.txt", "a\nclean\n");
        repo.Git("add", "a.txt");
        Assert.Equal(0, TestRepo.TryGitIn(repo.Path, "commit", "-q", "-m", "clean").Code);

        Assert.Equal(0, CliRun.Run(repo.Path, "hook", "uninstall").ExitCode);
        Assert.False(PreCommitHook.IsOurs(foreign));
        Assert.Contains("touch", File.ReadAllText(foreign), StringComparison.Ordinal);
        File.Delete(marker);
    }

    [Fact]
    public void Hook_honours_core_hooksPath_and_refuses_one_outside_the_repository()
    {
        using var repo = new TestRepo();
        repo.Git("config", "core.hooksPath", ".githooks");
        Assert.Equal(0, CliRun.Run(repo.Path, "hook", "install").ExitCode);
        Assert.True(PreCommitHook.IsOurs(Path.Combine(repo.Path, ".githooks", "pre-commit")));
        Assert.Equal(0, CliRun.Run(repo.Path, "hook", "uninstall").ExitCode);
        Assert.False(File.Exists(Path.Combine(repo.Path, ".githooks", "pre-commit")));

        var shared = Path.Combine(Path.GetTempPath(), "secretscan-hooks-" + Guid.NewGuid().ToString("N"));
        repo.Git("config", "core.hooksPath", shared);
        try
        {
            var refused = CliRun.Run(repo.Path, "hook", "install");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("outside this repository", refused.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(shared, "pre-commit")));
            Assert.Equal(0, CliRun.Run(repo.Path, "hook", "install", "--force").ExitCode);
            Assert.True(PreCommitHook.IsOurs(Path.Combine(shared, "pre-commit")));
        }
        finally
        {
            if (Directory.Exists(shared))
            {
                Directory.Delete(shared, recursive: true);
            }
        }
    }

    [Fact]
    public void Baseline_hides_accepted_secrets_survives_moves_and_update_reports_stale_entries()
    {
        using var repo = new TestRepo();
        var accepted = Fakes.GitHubToken();
        var removed = Fakes.GitHubToken();
        repo.Write("config/a.txt", Fakes.Filler(2) + accepted + "\n");
        repo.Write("b.txt", removed + "\n");

        var create = CliRun.Run(repo.Path, "baseline", "create", ".");
        Assert.True(create.ExitCode == 0, create.StdErr);
        var file = Path.Combine(repo.Path, ".secretscan-baseline");
        var text = File.ReadAllText(file);
        Assert.DoesNotContain(accepted, text, StringComparison.Ordinal);
        var entries = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal(entries.Order(StringComparer.Ordinal), entries);

        Assert.Equal(0, CliRun.Run(repo.Path, "scan", ".", "--baseline", file).ExitCode);

        // Edits above the line and a move keep the secret accepted; a new secret is reported alone.
        File.Delete(Path.Combine(repo.Path, "config/a.txt"));
        repo.Write("moved/a.txt", "# new header\n" + Fakes.Filler(4) + accepted + "\n");
        File.Delete(Path.Combine(repo.Path, "b.txt"));
        var fresh = Fakes.GitHubToken();
        repo.Write("c.txt", fresh + "\n");
        var scan = CliRun.Run(repo.Path, "scan", ".", "--baseline", file, "--format", "json");
        Assert.Equal(1, scan.ExitCode);
        using (var doc = JsonDocument.Parse(scan.StdOut))
        {
            Assert.Equal("c.txt", Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("path").GetString());
        }

        Assert.Contains("new path", scan.StdErr, StringComparison.Ordinal);

        var update = CliRun.Run(repo.Path, "baseline", "update", ".", "--prune");
        Assert.True(update.ExitCode == 0, update.StdErr);
        Assert.Contains("1 new, 1 stale", update.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(file).Count(l => !l.StartsWith('#')));

        // The config's `baseline:` works as --baseline does, for history scans too.
        File.WriteAllText(Path.Combine(repo.Path, ".secretscan.yaml"), "baseline: .secretscan-baseline\n");
        repo.Commit("everything");
        var history = CliRun.Run(repo.Path, "scan", "--git", ".");
        Assert.True(history.ExitCode == 0, history.StdOut + history.StdErr);
        Assert.Contains("2 findings in the baseline", history.StdErr, StringComparison.Ordinal);
    }
}
