// Entry point: `dotnet run -c Release --project tests/SecretScan.Benchmarks -- --filter '*' [--job short|dry]`.
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SecretScan.Benchmarks;

// Loaded here as well as in each benchmark process: the host needs the byte count for the MB/s column, and
// generating the default corpus once up front keeps the benchmark processes from racing to write it.
var corpus = BenchCorpus.Load();
Console.WriteLine($"// corpus {corpus.Root}: {corpus.Fragments.Length} text files, {corpus.Megabytes:F1} MB ({corpus.Bytes:N0} bytes); {BuiltInRuleSet.Describe()}");

if (corpus.Fragments.Length == 0 || !BuiltInRuleSet.HasRules)
{
    Console.WriteLine("// WARNING: no built-in rules or no text files: FullScan measures only the early exit, not the engine.");
}

// Results go next to this project rather than into whatever folder `dotnet run` was started from (`--artifacts` overrides).
var config = DefaultConfig.Instance
    .AddColumn(new ThroughputColumn(corpus.Bytes))
    .WithArtifactsPath(Path.Combine(ProjectFolder(), "BenchmarkDotNet.Artifacts"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(FolderScanBenchmarks).Assembly).Run(args, config);

foreach (var summary in summaries)
{
    foreach (var report in summary.Reports)
    {
        if (ThroughputColumn.MegabytesPerSecond(corpus.Bytes, summary, report.BenchmarkCase) is { } rate)
        {
            Console.WriteLine($"throughput {report.BenchmarkCase.Descriptor.WorkloadMethod.Name}: {corpus.Megabytes:F1} MB / {report.ResultStatistics!.Mean / 1e6:F1} ms = {rate:F1} MB/s");
        }
    }
}

static string ProjectFolder()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "SecretScan.Benchmarks.csproj")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
