// What one in-memory pass over a folder costs: the floor, the keyword prefilter alone, and the full engine on 1 and 2 threads.
using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using SecretScan.Core;

namespace SecretScan.Benchmarks;

[MemoryDiagnoser]
public class FolderScanBenchmarks
{
    /// <summary>The CLI's thread count is a flag; 2 matches the cores of the machines this project is measured on.</summary>
    private const int ParallelThreads = 2;

    private TextFragment[] fragments = [];
    private Scanner scanner = null!;
    private KeywordIndex keywords = null!;

    [GlobalSetup]
    public void Setup()
    {
        var corpus = BenchCorpus.Load();
        fragments = corpus.Fragments;
        var rules = BuiltInRuleSet.Create();
        scanner = new Scanner(rules);

        // RuleSet keeps its own index internal; one built from the same keyword lists is the same automaton.
        keywords = new KeywordIndex(rules.Rules.Select(r => r.Rule.Keywords).ToArray());

        // Build every lazily compiled regex now, so no measured iteration (nor a --job dry run) pays for Reflection.Emit.
        var findings = FullScan();
        Console.WriteLine($"// corpus {corpus.Root}: {fragments.Length} text files, {corpus.Megabytes:F1} MB, {corpus.BinaryFiles} binary skipped; " +
                          $"{BuiltInRuleSet.Describe()}; {findings} findings");
    }

    /// <summary>The in-memory floor: one vectorized read of every char, as cheap as touching the text gets.</summary>
    [Benchmark(Baseline = true)]
    public int ReadOnlyBaseline()
    {
        var hits = 0;
        foreach (var f in fragments)
        {
            if (f.Text.AsSpan().IndexOf('\u0001') >= 0)
            {
                hits++;
            }
        }

        return hits;
    }

    /// <summary>The one pass of all rules' keywords over every file, without any regex.</summary>
    [Benchmark]
    public int KeywordPrefilterOnly()
    {
        var active = new bool[keywords.RuleCount];
        var marked = 0;
        foreach (var f in fragments)
        {
            marked += keywords.FindCandidates(f.Text, active);
        }

        return marked;
    }

    [Benchmark]
    public int FullScan()
    {
        var result = new ScanResult();
        foreach (var f in fragments)
        {
            scanner.Scan(f, result);
        }

        return result.Findings.Count;
    }

    /// <summary>As the CLI runs it: one shared scanner, one result per worker, files handed out one at a time.</summary>
    [Benchmark]
    public int FullScanParallel()
    {
        var findings = 0;
        Parallel.ForEach(
            Partitioner.Create(fragments, loadBalance: true),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelThreads },
            () => new ScanResult(),
            (f, _, local) =>
            {
                scanner.Scan(f, local);
                return local;
            },
            local => Interlocked.Add(ref findings, local.Findings.Count));
        return findings;
    }
}
