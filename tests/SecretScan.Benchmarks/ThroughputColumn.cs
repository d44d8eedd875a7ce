// A summary column turning each benchmark's mean time into MB/s over the corpus (MB = 10^6 bytes on disk).
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SecretScan.Benchmarks;

public sealed class ThroughputColumn : IColumn
{
    private readonly long bytes;

    public ThroughputColumn(long bytes)
    {
        this.bytes = bytes;
    }

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Corpus bytes on disk / mean time, in 10^6 bytes per second";

    public static double? MegabytesPerSecond(long bytes, Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics is { Mean: > 0 } stats ? bytes / 1e6 / (stats.Mean / 1e9) : null;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        MegabytesPerSecond(bytes, summary, benchmarkCase) is { } value ? value.ToString("N1", System.Globalization.CultureInfo.InvariantCulture) : "NA";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
