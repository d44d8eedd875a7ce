// `secretscan ci github` as the action runs it: the real process in a simulated GitHub environment, on real temp repositories.
using System.Diagnostics;
using System.Text.Json;
using SecretScan.Core.Validation;
using SecretScan.Git.Tests;

namespace SecretScan.Cli.Tests;

public class CiGithubTests
{
    private static readonly Random Rng = new();

    [Fact]
    public void Pull_request_reports_what_the_head_added_and_not_what_the_base_had()
    {
        using var repo = new TestRepo();
        var old = NewGitHubToken();
        repo.Write("config.txt", "first\nsecond\nold_token = " + old + "\n");
        var baseSha = repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "feature");
        repo.Write("notes.md", "nothing here\n");
        repo.Commit("pr 1");
        var added = NewGitHubToken();
        repo.Write("deploy/app.env", "# deploy\nREGION=eu\nGITHUB_TOKEN=" + added + "\n");
        var headSha = repo.Commit("pr 2");

        // Like GitHub: the workflow runs on a merge commit of the head into the base.
        repo.Git("checkout", "-q", "--detach", baseSha);
        repo.Git("merge", "-q", "--no-ff", "--no-edit", "feature");
        var merge = repo.Git("rev-parse", "HEAD");

        using var ci = new CiEnvironment(repo, "pull_request", PullRequest(7, 2, baseSha, headSha, "octo/app", "octo/app"), merge);
        var r = ci.Run();

        Assert.Equal(1, r.ExitCode);
        var annotation = Assert.Single(r.StdOut.Split('\n'), l => l.StartsWith("::error ", StringComparison.Ordinal));
        Assert.StartsWith("::error file=deploy/app.env,line=3,endLine=3,col=14,", annotation, StringComparison.Ordinal);
        Assert.Contains("title=Secret%3A GitHub personal access token (classic) (SS1100)::", annotation, StringComparison.Ordinal);
        Assert.Contains("(redacted)", annotation, StringComparison.Ordinal);
        Assert.Contains(headSha[..7], annotation, StringComparison.Ordinal);

        var summary = ci.Summary;
        Assert.Contains("| Severity | Rule | File:line | Commit |", summary, StringComparison.Ordinal);
        Assert.Contains($"| critical | SS1100 github-pat-classic: GitHub personal access token (classic) | [deploy/app.env:3](https://github.com/octo/app/blob/{headSha}/deploy/app.env#L3) | [{headSha[..7]}](https://github.com/octo/app/commit/{headSha}) |", summary, StringComparison.Ordinal);
        Assert.Contains("pull request \\#7 (2 commits, ", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("config.txt", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("config.txt", r.StdOut, StringComparison.Ordinal);

        var outputs = ci.Outputs;
        Assert.Equal("1", outputs["findings"]);
        Assert.Equal(ci.SarifPath, outputs["sarif"]);
        Assert.Equal("false", outputs["fork"]);

        using var sarif = JsonDocument.Parse(File.ReadAllText(ci.SarifPath));
        var results = sarif.RootElement.GetProperty("runs").EnumerateArray().SelectMany(run => run.GetProperty("results").EnumerateArray()).ToList();
        var result = Assert.Single(results);
        Assert.Equal("SS1100", result.GetProperty("ruleId").GetString());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("deploy/app.env", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(3, location.GetProperty("region").GetProperty("startLine").GetInt32());

        foreach (var text in new[] { r.StdOut, r.StdErr, summary, File.ReadAllText(ci.OutputFile), File.ReadAllText(ci.SarifPath) })
        {
            Assert.DoesNotContain(added, text, StringComparison.Ordinal);
            Assert.DoesNotContain(old, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Push_scans_its_commits_and_a_new_branch_scans_what_the_default_branch_lacks()
    {
        using var repo = new TestRepo();
        var old = NewGitHubToken();
        repo.Write("a.txt", "old = " + old + "\n");
        var before = repo.Commit("one");
        var pushed = NewGitHubToken();
        repo.Write("b.txt", "x\npushed = " + pushed + "\n");
        var after = repo.Commit("two");

        using (var ci = new CiEnvironment(repo, "push", Push("refs/heads/main", before, after, 1), after))
        {
            var r = ci.Run("--fail-on", "high");
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith("::error file=b.txt,line=2,", Assert.Single(r.StdOut.Split('\n'), l => l.StartsWith("::error", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains("the push to main (1 commit, ", ci.Summary, StringComparison.Ordinal);
            Assert.Equal("1", ci.Outputs["findings"]);
        }

        // A new branch: the commits main does not have, not main's own and not just the tip.
        repo.Git("checkout", "-q", "-b", "topic");
        var onBranch = NewGitHubToken();
        repo.Write("c.txt", "branch = " + onBranch + "\n");
        repo.Commit("three");
        repo.Git("rm", "-q", "c.txt");
        var tip = repo.Commit("four: gone again, still in history");
        using (var ci = new CiEnvironment(repo, "push", Push("refs/heads/topic", new string('0', 40), tip, 2), tip))
        {
            var r = ci.Run();
            Assert.Equal(1, r.ExitCode);
            Assert.Single(r.StdOut.Split('\n'), l => l.StartsWith("::error file=c.txt,line=1,", StringComparison.Ordinal));
            Assert.DoesNotContain("b.txt", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("the commits that are not on main", ci.Summary, StringComparison.Ordinal);
            Assert.Contains("(removed later; still in the history)", ci.Summary, StringComparison.Ordinal);
        }

        // A clean push says so and exits 0.
        repo.Write("d.txt", "nothing secret\n");
        var clean = repo.Commit("five");
        using (var ci = new CiEnvironment(repo, "push", Push("refs/heads/topic", tip, clean, 1), clean))
        {
            var r = ci.Run();
            Assert.Equal(0, r.ExitCode);
            Assert.DoesNotContain("::error", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("**No secrets found** in the push to topic", ci.Summary, StringComparison.Ordinal);
            Assert.Equal("0", ci.Outputs["findings"]);
            Assert.True(File.Exists(ci.SarifPath));
        }
    }

    [Fact]
    public void Too_shallow_clone_exits_2_naming_the_fetch_depth_and_that_depth_works()
    {
        using var origin = new TestRepo();
        origin.Write("a.txt", "a\n");
        var baseSha = origin.Commit("base");
        origin.Git("checkout", "-q", "-b", "feature");
        var secret = NewGitHubToken();
        origin.Write("b.txt", "token = " + secret + "\n");
        origin.Commit("pr 1");
        origin.Write("c.txt", "c\n");
        origin.Commit("pr 2");
        origin.Write("d.txt", "d\n");
        var headSha = origin.Commit("pr 3");

        using var clone = new TestRepo(init: false);
        TestRepo.GitIn(Path.GetTempPath(), "clone", "-q", "--depth", "1", "-b", "feature", "file://" + origin.Path, clone.Path);
        using var ci = new CiEnvironment(clone, "pull_request", PullRequest(12, 3, baseSha, headSha, "octo/app", "octo/app"), headSha);
        var r = ci.Run();

        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("too shallow", line, StringComparison.Ordinal);
        Assert.Contains("pull request #12 (3 commits", line, StringComparison.Ordinal);
        Assert.Contains("fetch-depth: 0", line, StringComparison.Ordinal);
        Assert.Contains("fetch-depth: 4 is the least", line, StringComparison.Ordinal);
        Assert.Contains("**SecretScan could not scan**", ci.Summary, StringComparison.Ordinal);
        Assert.Contains("::error title=SecretScan::the checkout is too shallow", r.StdOut, StringComparison.Ordinal);
        Assert.False(ci.Outputs.ContainsKey("findings"));

        // The advised depth is enough.
        TestRepo.GitIn(clone.Path, "fetch", "-q", "--depth", "4", "origin", "feature");
        var deep = ci.Run();
        Assert.Equal(1, deep.ExitCode);
        Assert.Contains("::error file=b.txt,line=1,", deep.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Fork_pull_request_still_gets_annotations_and_summary_and_says_fork()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        var baseSha = repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "from-fork");
        var secret = NewGitHubToken();
        repo.Write("src/settings.json", "{\n  \"token\": \"" + secret + "\"\n}\n");
        var headSha = repo.Commit("pr");

        using var ci = new CiEnvironment(repo, "pull_request", PullRequest(3, 1, baseSha, headSha, "someone/app", "octo/app"), headSha);
        var r = ci.Run();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("::error file=src/settings.json,line=2,", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("comes from a fork", ci.Summary, StringComparison.Ordinal);
        Assert.Contains("src/settings.json:2", ci.Summary, StringComparison.Ordinal);
        Assert.Equal("true", ci.Outputs["fork"]);
        Assert.Equal("1", ci.Outputs["findings"]);
        Assert.True(File.Exists(ci.Outputs["sarif"]));
    }

    [Fact]
    public void Mode_pr_on_another_event_and_a_bad_payload_are_errors()
    {
        using var repo = new TestRepo();
        repo.Write("a.txt", "a\n");
        var sha = repo.Commit("a");
        using var ci = new CiEnvironment(repo, "workflow_dispatch", "{}", sha);
        var r = ci.Run("--mode", "pr");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--mode pr needs a pull_request", r.StdErr, StringComparison.Ordinal);

        // Any other event scans the checked-out tree.
        var folder = ci.Run();
        Assert.Equal(0, folder.ExitCode);
        Assert.Contains("**No secrets found** in the checked-out tree", ci.Summary, StringComparison.Ordinal);

        using var bad = new CiEnvironment(repo, "pull_request", "{\"pull_request\": {\"base\": {\"sha\": \"--upload-pack=x\"}}}", sha);
        var b = bad.Run();
        Assert.Equal(2, b.ExitCode);
        Assert.Contains("no commit id at pull_request.base.sha", b.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b:c%d\r\ne", "a%2Cb%3Ac%25d%0D%0Ae")]
    [InlineData("plain/path.txt", "plain/path.txt")]
    public void Annotation_properties_escape_what_would_end_them(string value, string escaped)
    {
        Assert.Equal(escaped, CiGithubReport.EscapeProperty(value));
        Assert.Equal(value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal), CiGithubReport.EscapeData(value));
    }

    [Fact]
    public void Outputs_use_the_delimiter_form_only_for_values_with_line_breaks()
    {
        var text = CiGithubReport.Outputs(new[] { ("findings", "2"), ("sarif", "odd\nname.sarif") });
        var lines = text.Split('\n');
        Assert.Equal("findings=2", lines[0]);
        Assert.StartsWith("sarif<<ghadelimiter_", lines[1], StringComparison.Ordinal);
        Assert.Equal(("odd", "name.sarif", lines[1]["sarif<<".Length..]), (lines[2], lines[3], lines[4]));
        Assert.Equal(new Dictionary<string, string> { ["findings"] = "2", ["sarif"] = "odd\nname.sarif" }, CiEnvironment.ParseOutputs(text));
    }

    [Fact]
    public void Summary_text_cannot_inject_markdown()
    {
        Assert.Equal("a\\|b \\[x\\](y) \\<img\\> \\$x\\$ \\@team c", CiGithubReport.Text("a|b [x](y) <img> $x$ @team\nc"));
    }

    private static string NewGitHubToken() => ExampleTemplates.Expand("{{github:ghp_}}", Rng);

    private static string PullRequest(int number, int commits, string baseSha, string headSha, string headRepo, string baseRepo) => JsonSerializer.Serialize(new
    {
        action = "synchronize",
        number,
        pull_request = new
        {
            number,
            commits,
            @base = new { sha = baseSha, @ref = "main", repo = new { full_name = baseRepo } },
            head = new { sha = headSha, @ref = "feature", repo = new { full_name = headRepo } },
        },
        repository = new { full_name = baseRepo, default_branch = "main" },
    });

    private static string Push(string gitRef, string before, string after, int commits) => JsonSerializer.Serialize(new
    {
        @ref = gitRef,
        before,
        after,
        created = before.All(c => c == '0'),
        forced = false,
        commits = Enumerable.Range(0, commits).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        repository = new { full_name = "octo/app", default_branch = "main" },
    });
}

/// <summary>A simulated runner: event payload, summary and output files, RUNNER_TEMP; runs `secretscan ci github` in it.</summary>
internal sealed class CiEnvironment : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly TestRepo repo;
    private readonly string eventName;
    private readonly string sha;

    public CiEnvironment(TestRepo repo, string eventName, string payload, string sha)
    {
        this.repo = repo;
        this.eventName = eventName;
        this.sha = sha;
        EventPath = temp.Write("event.json", payload);
    }

    public string EventPath { get; }

    public string SummaryFile => Path.Combine(temp.Path, "summary.md");

    public string OutputFile => Path.Combine(temp.Path, "output.txt");

    public string SarifPath => Path.Combine(temp.Path, "runner", "secretscan.sarif");

    public string Summary => File.Exists(SummaryFile) ? File.ReadAllText(SummaryFile) : "";

    public Dictionary<string, string> Outputs => ParseOutputs(File.Exists(OutputFile) ? File.ReadAllText(OutputFile) : "");

    /// <summary>Runs the CLI with a fresh summary and output file, as each step gets.</summary>
    public CliResult Run(params string[] args)
    {
        File.Delete(SummaryFile);
        File.Delete(OutputFile);
        Directory.CreateDirectory(Path.Combine(temp.Path, "runner"));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repo.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "secretscan.dll"));
        foreach (var a in new[] { "ci", "github" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        // The tests may themselves run in GitHub Actions: nothing of the real runner may leak in.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GITHUB_", StringComparison.Ordinal) || k.StartsWith("RUNNER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["GITHUB_ACTIONS"] = "true";
        start.Environment["GITHUB_EVENT_NAME"] = eventName;
        start.Environment["GITHUB_EVENT_PATH"] = EventPath;
        start.Environment["GITHUB_WORKSPACE"] = repo.Path;
        start.Environment["GITHUB_SHA"] = sha;
        start.Environment["GITHUB_REF"] = "refs/heads/main";
        start.Environment["GITHUB_REPOSITORY"] = "octo/app";
        start.Environment["GITHUB_SERVER_URL"] = "https://github.com";
        start.Environment["GITHUB_STEP_SUMMARY"] = SummaryFile;
        start.Environment["GITHUB_OUTPUT"] = OutputFile;
        start.Environment["RUNNER_TEMP"] = Path.Combine(temp.Path, "runner");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("secretscan ci github did not finish in 2 minutes");
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Reads GITHUB_OUTPUT as the runner does: name=value lines and name&lt;&lt;DELIMITER blocks.</summary>
    public static Dictionary<string, string> ParseOutputs(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (eq < 0 || heredoc < eq))
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                for (i++; i < lines.Length && lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }

                outputs[line[..heredoc]] = string.Join('\n', value);
            }
            else if (eq > 0)
            {
                outputs[line[..eq]] = line[(eq + 1)..];
            }
        }

        return outputs;
    }

    public void Dispose() => temp.Dispose();
}
