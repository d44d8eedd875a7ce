// History scanning on the labeled --git dev corpus of ../shared/bench: nothing lost against scanning every commit's
// tree in full, attribution and "still in HEAD" as the truth says, and recall and precision against the full truth.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecretScan.Core;

namespace SecretScan.Git.Tests;

public class HistoryAccuracyTests
{
    private const double MinRecall = 0.95;
    private const double MinPrecision = 0.95;

    [Fact]
    public void History_scan_finds_every_secret_a_full_scan_of_every_commit_finds_and_attributes_it_right()
    {
        using var corpus = Corpus.Create();
        var history = Engine.History(corpus.Repo);

        // The reference: every file of every commit, scanned whole by the same engine (each blob and path once).
        var places = new HashSet<(string Blob, string Path)>();
        foreach (var commit in TestRepo.GitIn(corpus.Repo, "rev-list", "--all").Split('\n'))
        {
            foreach (var entry in TestRepo.GitIn(corpus.Repo, "ls-tree", "-r", commit).Split('\n'))
            {
                var tab = entry.IndexOf('\t', StringComparison.Ordinal);
                places.Add((entry.Split(' ')[2][..40], entry[(tab + 1)..]));
            }
        }

        var blobs = places.Select(p => p.Blob).Distinct().ToList();
        var texts = new Dictionary<string, string>();
        foreach (var data in new BlobPipe(corpus.Repo, 0).Read(blobs))
        {
            using (data)
            {
                texts[data.Id] = System.Text.Encoding.UTF8.GetString(data.Content);
            }
        }

        var expected = new HashSet<(string, string)>();
        foreach (var (blob, path) in places)
        {
            foreach (var f in Engine.Scanner.Scan(new TextFragment(texts[blob], path)).Findings)
            {
                expected.Add((f.RuleId, f.SecretHash));
            }
        }

        var found = history.Findings.Select(f => (f.RuleId, f.SecretHash)).ToHashSet();
        Assert.Empty(expected.Except(found));
        Assert.Empty(found.Except(expected));

        var truth = File.ReadLines(corpus.Truth).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var byPlace = history.Findings.GroupBy(f => (f.Path, f.Line)).ToDictionary(g => g.Key, g => g.First());
        var checkedCount = 0;
        foreach (var t in truth)
        {
            if (byPlace.TryGetValue((t.GetProperty("file").GetString()!, t.GetProperty("line").GetInt32()), out var f))
            {
                Assert.Equal(t.GetProperty("commit").GetString(), f.History!.Commit);
                Assert.Equal(t.GetProperty("in_head").GetBoolean(), f.History.InHead);
                checkedCount++;
            }
        }

        Assert.True(checkedCount > truth.Count / 2, $"only {checkedCount} of {truth.Count} truth lines were found at all");
    }

    [Fact]
    public void Dev_corpus_history_recall_and_precision_stay_above_the_bar()
    {
        using var corpus = Corpus.Create();
        var sarif = Path.Combine(corpus.Folder, "history.sarif");
        var run = CliRun.Run(corpus.Folder, "scan", "--git", corpus.Repo, "--format", "sarif", "--output", sarif, "--no-progress");
        Assert.True(run.ExitCode == 1, run.StdErr);
        var score = Corpus.Python(Path.Combine(Corpus.Bench, "score.py"), corpus.Truth, sarif, "--root", corpus.Repo, "--negatives", Path.Combine(corpus.Folder, "negatives.jsonl"));
        var m = Regex.Match(score.Trim().Split('\n').Last(), @"recall=([\d.]+) precision=([\d.]+)");
        Assert.True(m.Success, score);
        var recall = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var precision = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(recall >= MinRecall && precision >= MinPrecision, $"recall {recall}, precision {precision}\n{score}");
    }

    /// <summary>The dev corpus with history, generated fresh into a temp folder.</summary>
    private sealed class Corpus : IDisposable
    {
        public static readonly string Bench = FindBench();

        private Corpus(string folder) => Folder = folder;

        public string Folder { get; }

        public string Repo => Path.Combine(Folder, "repo");

        public string Truth => Path.Combine(Folder, "truth.jsonl");

        public static Corpus Create()
        {
            var folder = Path.Combine(Path.GetTempPath(), "secretscan-devgit-" + Guid.NewGuid().ToString("N"));
            Python(Path.Combine(Bench, "gen_corpus.py"), "--out", folder, "--git");
            return new Corpus(folder);
        }

        public static string Python(params string[] args)
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

        public void Dispose()
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string FindBench()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var bench = Path.Combine(dir.FullName, "..", "shared", "bench");
                if (File.Exists(Path.Combine(dir.FullName, "SecretScan.sln")) && File.Exists(Path.Combine(bench, "gen_corpus.py")))
                {
                    return Path.GetFullPath(bench);
                }
            }

            throw new InvalidOperationException("the accuracy bench is expected at ../shared/bench beside the repository");
        }
    }
}
