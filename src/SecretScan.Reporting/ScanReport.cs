// What a report is written from: one scan's findings, rules, warnings and statistics, and how to write them.
using SecretScan.Core;

namespace SecretScan.Reporting;

/// <summary>
/// Everything a writer needs about one scan. For SARIF, one report is one run: a history scan passes a second
/// report with its own <see cref="Category"/> so its findings do not churn the current tree's alerts.
/// </summary>
public sealed record ScanReport
{
    /// <summary>The SARIF category of a scan of the working tree.</summary>
    public const string TreeCategory = "secretscan/tree";

    /// <summary>The SARIF category history scans are expected to use.</summary>
    public const string HistoryCategory = "secretscan/history";

    public const string DefaultInformationUri = "https://github.com/secretscan/secretscan";

    public IReadOnlyList<Finding> Findings { get; init; } = Array.Empty<Finding>();

    /// <summary>Every enabled rule, found or not: SARIF lists them all so alerts can be closed when a secret goes.</summary>
    public IReadOnlyList<Rule> Rules { get; init; } = Array.Empty<Rule>();

    public IReadOnlyList<ScanWarning> Warnings { get; init; } = Array.Empty<ScanWarning>();

    /// <summary>Semantic version of the tool, e.g. "0.1.0".</summary>
    public required string ToolVersion { get; init; }

    /// <summary>Absolute path of the scanned folder; finding paths are relative to it.</summary>
    public required string ScanRoot { get; init; }

    public ScanStatistics Statistics { get; init; } = new();

    /// <summary>SARIF run category (runAutomationDetails.id without the trailing '/').</summary>
    public string Category { get; init; } = TreeCategory;

    /// <summary>When the scan started. Left out of every report when null, so reports of the same input are identical.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The tool's home page; rules without a reference link to their entry in its rules list.</summary>
    public string InformationUri { get; init; } = DefaultInformationUri;
}

/// <summary>Counts the CLI keeps while it walks the tree. Errors are files that could not be read, not findings.</summary>
public sealed record ScanStatistics
{
    public int FilesScanned { get; init; }

    public long BytesScanned { get; init; }

    public int FilesSkipped { get; init; }

    public int Errors { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Whole milliseconds, as every report shows the duration.</summary>
    public long DurationMilliseconds => (long)Math.Round(Duration.TotalMilliseconds, MidpointRounding.AwayFromZero);
}

/// <summary>How to write a report.</summary>
public sealed record ReportOptions
{
    public static readonly ReportOptions Default = new();

    /// <summary>When false, and only then, the raw secret is written (JSON "secret", SARIF message, text "secret:" line).</summary>
    public bool Redact { get; init; } = true;

    /// <summary>ANSI color for severities in the text report; ignored by the other formats.</summary>
    public bool Color { get; init; }
}

/// <summary>A report format the CLI can pick by name.</summary>
public interface IReportWriter
{
    /// <summary>The name used on the command line: "sarif", "json" or "text".</summary>
    string Format { get; }

    /// <summary>The usual file extension, with its dot.</summary>
    string FileExtension { get; }

    void Write(ScanReport report, TextWriter writer, ReportOptions? options = null);

    /// <summary>Writes UTF-8 without a byte order mark; leaves the stream open.</summary>
    void Write(ScanReport report, Stream stream, ReportOptions? options = null);
}

/// <summary>The writers by format name.</summary>
public static class ReportFormats
{
    public static IReadOnlyList<IReportWriter> All { get; } = new IReportWriter[]
    {
        new TextReportWriter(),
        new JsonReportWriter(),
        new SarifReportWriter(),
    };

    public static IEnumerable<string> Names => All.Select(w => w.Format);

    public static IReportWriter? Find(string format) =>
        All.FirstOrDefault(w => string.Equals(w.Format, format, StringComparison.OrdinalIgnoreCase));
}
