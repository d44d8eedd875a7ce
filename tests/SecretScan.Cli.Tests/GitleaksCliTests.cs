// `secretscan scan --gitleaks-config` and `gitleaks: auto` through the real process: rules, allowlists, extend, exit codes.
using System.Text.Json;
using SecretScan.Core.Validation;
using SecretScan.Git.Tests;

namespace SecretScan.Cli.Tests;

public class GitleaksCliTests
{
    private static Random Rng => Random.Shared;

    private const string Config = """
        title = "migrated"

        [extend]
        useDefault = true
        disabledRules = ["npm-access-token"]

        [[rules]]
        id = "acme-deploy-key"
        description = "ACME deploy key"
        regex = '''(?i)acme[_-]?deploy[_-]?key\s*[:=]\s*["']?(?P<key>acmd_[[:alnum:]]{32})\b'''
        secretGroup = 1
        keywords = ["acmd_"]
        [[rules.allowlists]]
        paths = ['''(^|/)testdata/''']

        [[rules]]
        id = "acme-pair"
        regex = '''acme_pair'''
        [[rules.required]]
        id = "acme-deploy-key"
        """;

    private static string AcmeKey() =>
        "acmd_" + new string(Enumerable.Range(0, 32).Select(_ => "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"[Rng.Next(57)]).ToArray());

    /// <summary>A folder with the config, a custom-rule secret, an allowlisted one, a `gitleaks:allow` one and two built-in ones.</summary>
    private static (TempFolder Dir, string Acme, string[] AllSecrets) Project()
    {
        var dir = new TempFolder();
        dir.Write(".gitleaks.toml", Config);
        var acme = AcmeKey();
        var fixture = AcmeKey();
        var allowed = AcmeKey();
        var github = ExampleTemplates.Expand("{{github:ghp_}}", Rng);
        var npm = ExampleTemplates.Expand("{{npm}}", Rng);
        dir.Write("src/app.env", $"# deploy\nACME_DEPLOY_KEY={acme}\n");
        dir.Write("testdata/app.env", $"ACME_DEPLOY_KEY={fixture}\n");
        dir.Write("src/local.env", $"ACME_DEPLOY_KEY={allowed} # gitleaks:allow\n");
        dir.Write("ci/github.env", $"GITHUB_TOKEN={github}\n");
        dir.Write("ci/npm.env", $"NPM_TOKEN={npm}\n");
        return (dir, acme, new[] { acme, fixture, allowed, github, npm });
    }

    private static List<(string RuleId, string Path)> Findings(CliResult r) =>
        JsonDocument.Parse(r.StdOut).RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("path").GetString()!))
            .OrderBy(f => f.Item2, StringComparer.Ordinal).ToList();

    [Fact]
    public void Gitleaks_config_adds_its_rules_and_allowlists_and_extends_the_built_in_pack()
    {
        var (dir, _, secrets) = Project();
        using var _dir = dir;
        var r = CliProcess.Run(dir.Path, "scan", ".", "--gitleaks-config", ".gitleaks.toml", "--format", "json", "--no-progress");
        Assert.True(r.ExitCode == 1, r.StdErr);
        var findings = Findings(r);
        Assert.Equal(2, findings.Count);
        Assert.Equal("ci/github.env", findings[0].Path);
        Assert.StartsWith("SS", findings[0].RuleId, StringComparison.Ordinal);
        Assert.Equal(("GL:acme-deploy-key", "src/app.env"), findings[1]);

        // The composite rule cannot be translated: one warning naming file, line and rule; the scan still ran.
        var warning = Assert.Single(r.StdErr.Split('\n'), l => l.Contains("rule acme-pair", StringComparison.Ordinal));
        Assert.Contains(".gitleaks.toml:16: rule acme-pair: composite rules", warning);
        foreach (var s in secrets)
        {
            Assert.DoesNotContain(s, r.StdOut + r.StdErr);
        }
    }

    [Fact]
    public void Gitleaks_config_is_picked_up_at_the_root_only_when_the_config_opts_in()
    {
        var (dir, _, _) = Project();
        using var _dir = dir;
        var plain = CliProcess.Run(dir.Path, "scan", ".", "--format", "json", "--no-progress");
        Assert.DoesNotContain(Findings(plain), f => f.RuleId.StartsWith("GL:", StringComparison.Ordinal));
        Assert.Contains(Findings(plain), f => f.Path == "ci/npm.env");

        dir.Write(".secretscan.yaml", "gitleaks: auto\n");
        var auto = CliProcess.Run(dir.Path, "scan", ".", "--format", "json", "--no-progress");
        Assert.Equal(1, auto.ExitCode);
        Assert.Equal(new[] { "ci/github.env", "src/app.env" }, Findings(auto).Select(f => f.Path));

        // `gitleaks:allow` is honoured unless the config turns it off.
        dir.Write(".secretscan.yaml", "gitleaks:\n  config: .gitleaks.toml\n  allow_comments: false\n");
        var noComments = CliProcess.Run(dir.Path, "scan", ".", "--format", "json", "--no-progress");
        Assert.Contains(("GL:acme-deploy-key", "src/local.env"), Findings(noComments));

        // A higher-precedence config can switch the pickup off again.
        dir.Write(".secretscan.yaml", "gitleaks: auto\n");
        var off = dir.Write("off.yaml", "gitleaks: off\n");
        var offRun = CliProcess.Run(dir.Path, "scan", ".", "--config", off, "--format", "json", "--no-progress");
        Assert.DoesNotContain(Findings(offRun), f => f.RuleId.StartsWith("GL:", StringComparison.Ordinal));
    }

    [Fact]
    public void Toml_syntax_error_is_one_line_with_file_and_line_and_exit_2()
    {
        using var dir = new TempFolder();
        dir.Write("a.txt", "nothing here\n");
        var config = dir.Write("broken.toml", "[[rules]]\nid = \"x\"\nregex = '''abc\n");
        var r = CliProcess.Run(dir.Path, "scan", ".", "--gitleaks-config", config, "--no-progress");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"secretscan: error: {config}:3: invalid TOML:", line);

        var missing = CliProcess.Run(dir.Path, "scan", ".", "--gitleaks-config", "nope.toml", "--no-progress");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("gitleaks config not found", missing.StdErr);
    }

    [Fact]
    public void Gitleaks_config_applies_to_history_and_staged_scans_with_commit_allowlists()
    {
        using var dir = new TempFolder();
        using var configDir = new TempFolder();
        var first = AcmeKey();
        dir.Write("a.env", $"ACME_DEPLOY_KEY={first}\n");
        TestRepo.GitIn(dir.Path, "init", "-q", "-b", "main");
        TestRepo.GitIn(dir.Path, "add", "-A");
        TestRepo.GitIn(dir.Path, "commit", "-q", "-m", "first");
        var firstCommit = TestRepo.GitIn(dir.Path, "rev-parse", "HEAD").Trim();
        dir.Write("b.env", $"ACME_DEPLOY_KEY={AcmeKey()}\n");
        TestRepo.GitIn(dir.Path, "add", "-A");
        TestRepo.GitIn(dir.Path, "commit", "-q", "-m", "second");

        var config = configDir.Write("gitleaks.toml", Config + $"\n[[allowlists]]\ncommits = [\"{firstCommit}\"]\n");
        var history = CliProcess.Run(dir.Path, "scan", "--git", ".", "--gitleaks-config", config, "--format", "json", "--no-progress");
        Assert.True(history.ExitCode == 1, history.StdErr);
        Assert.Equal(new[] { ("GL:acme-deploy-key", "b.env") }, Findings(history));

        dir.Write("c.env", $"ACME_DEPLOY_KEY={AcmeKey()}\n");
        TestRepo.GitIn(dir.Path, "add", "c.env");
        var staged = CliProcess.Run(dir.Path, "scan", "--staged", ".", "--gitleaks-config", config, "--format", "json", "--no-progress");
        Assert.True(staged.ExitCode == 1, staged.StdErr);
        Assert.Equal(new[] { ("GL:acme-deploy-key", "c.env") }, Findings(staged));
    }
}
