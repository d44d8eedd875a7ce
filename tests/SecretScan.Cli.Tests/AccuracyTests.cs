// Guards accuracy on the labeled dev corpus of ../shared/bench: recall and precision overall, and recall per kind.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SecretScan.Cli.Tests;

public class AccuracyTests
{
    private const double MinRecall = 0.95;
    private const double MinPrecision = 0.95;
    private const double MinKindRecall = 0.90;

    [Fact]
    public void Dev_corpus_recall_and_precision_stay_above_the_bar()
    {
        var bench = Path.GetFullPath(Path.Combine(RulesCommandTests.FindRepositoryRoot(), "..", "shared", "bench"));
        Assert.True(File.Exists(Path.Combine(bench, "gen_corpus.py")), $"the accuracy bench is expected at {bench} (shared/ beside the repository)");
        using var dir = new TempFolder();
        var corpus = Path.Combine(dir.Path, "dev");
        Python(Path.Combine(bench, "gen_corpus.py"), "--out", corpus, "--split", "dev");
        var sarif = Path.Combine(dir.Path, "out.sarif");
        var scan = CliProcess.Run(dir.Path, "scan", Path.Combine(corpus, "repo"), "--format", "sarif", "--output", sarif, "--no-progress");
        Assert.True(scan.ExitCode == 1, scan.StdErr);

        var score = Python(Path.Combine(bench, "score.py"), Path.Combine(corpus, "truth.jsonl"), sarif, "--root", Path.Combine(corpus, "repo"),
            "--negatives", Path.Combine(corpus, "negatives.jsonl"), "--verbose");
        var last = score.Trim().Split('\n').Last();
        var m = Regex.Match(last, @"recall=([\d.]+) precision=([\d.]+)");
        Assert.True(m.Success, score);
        var recall = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var precision = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(recall >= MinRecall && precision >= MinPrecision, $"recall {recall}, precision {precision}\n{score}");

        var weakKinds = Regex.Matches(score, @"^(\w+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s*$", RegexOptions.Multiline)
            .Where(k => double.Parse(k.Groups[4].Value, CultureInfo.InvariantCulture) < MinKindRecall)
            .Select(k => k.Value.Trim())
            .ToArray();
        Assert.True(weakKinds.Length == 0, "kinds under the recall bar:\n" + string.Join("\n", weakKinds) + "\n" + score);
    }

    private static string Python(params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "python timed out");
        Assert.True(p.ExitCode == 0, $"python3 {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout.Result;
    }
}
