// `secretscan rules list` and `rules check` through the real process.
namespace SecretScan.Cli.Tests;

public class RulesCommandTests
{
    [Fact]
    public void List_shows_every_built_in_rule()
    {
        var r = CliProcess.Run(AppContext.BaseDirectory, "rules", "list");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"(\d+) rules\s*$", r.StdOut);
        var count = int.Parse(System.Text.RegularExpressions.Regex.Match(r.StdOut, @"(\d+) rules\s*$").Groups[1].Value);
        Assert.True(count >= 150);
    }

    [Fact]
    public void Check_passes_on_the_repository_rules_and_fails_on_a_broken_rule()
    {
        var rules = Path.Combine(FindRepositoryRoot(), "rules");
        // No --seed: what a user runs. The default draw is fixed, so this cannot fail on an unlucky random value.
        var ok = CliProcess.Run(AppContext.BaseDirectory, "rules", "check", "--rules", rules);
        Assert.True(ok.ExitCode == 0, ok.StdOut + ok.StdErr);
        Assert.Equal(ok.StdOut, CliProcess.Run(AppContext.BaseDirectory, "rules", "check", "--rules", rules, "--seed", "1").StdOut);

        using var dir = new TempFolder();
        var file = dir.Write("mine.yaml", "rules:\n  - id: MINE1\n    name: mine\n    keywords: [mine_]\n    pattern: '(mine_[a-z]{4})'\n    secret_group: 1\n    examples: ['x = mine_ab']\n");
        var bad = CliProcess.Run(dir.Path, "rules", "check", "--rules", file);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("mine.yaml:2: rule MINE1 (mine): example 1 did not match", bad.StdOut);
    }

    internal static string FindRepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "SecretScan.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
