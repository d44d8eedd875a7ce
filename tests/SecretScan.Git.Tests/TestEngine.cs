// Fake secrets generated at test time, and the engine the git tests scan with.
using System.Text;
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Core.Validation;
using SecretScan.Git;

namespace SecretScan.Git.Tests;

internal static class Fakes
{
    private static readonly Random Rng = new();

    /// <summary>A fresh, checksum-valid, fake GitHub token (rule SS1100 finds it anywhere).</summary>
    public static string GitHubToken()
    {
        lock (Rng)
        {
            return ExampleTemplates.Expand("{{github:ghp_}}", Rng);
        }
    }

    /// <summary>Ordinary code lines, so files look like files and line numbers mean something.</summary>
    public static string Filler(int lines, string tag = "")
    {
        var sb = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            sb.Append("int value").Append(tag).Append(i).Append(" = ").Append(i * 7).Append(";\n");
        }

        return sb.ToString();
    }
}

internal static class Engine
{
    private static readonly Lazy<Scanner> Shared = new(() => new Scanner(RuleSet.Create(BuiltInRules.All, new RuleSetOptions())));

    public static Scanner Scanner => Shared.Value;

    public static GitScanResult History(string path, HistoryOptions? options = null) => HistoryScan.Run(path, Scanner, options ?? new HistoryOptions());

    public static GitScanResult Range(string path, string range) => RangeScan.Run(path, Scanner, range, new HistoryOptions());

    public static GitScanResult Staged(string path) => StagedScan.Run(path, Scanner, new HistoryOptions());

    public static Finding Single(GitScanResult result, string secret)
    {
        var matches = result.Findings.Where(f => f.Secret == secret).ToList();
        Assert.True(matches.Count == 1, $"expected one finding of the secret, got {matches.Count}: " + string.Join(", ", result.Findings.Select(f => $"{f.Path}:{f.Line} {f.RuleId}")));
        return matches[0];
    }
}
