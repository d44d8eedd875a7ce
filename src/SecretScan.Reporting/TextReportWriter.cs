// The report for people at a terminal: a block per finding, then warnings, then a one-line summary.
using System.Globalization;
using System.Text;
using SecretScan.Core;

namespace SecretScan.Reporting;

public sealed class TextReportWriter : IReportWriter
{
    private const string Reset = "\u001b[0m";
    private const string Indent = "    ";

    // "CRITICAL" is the longest name; padding to it lines the rule ids up.
    private const int SeverityWidth = 8;

    public string Format => "text";

    public string FileExtension => ".txt";

    public void Write(ScanReport report, TextWriter writer, ReportOptions? options = null)
    {
        writer.Write(Render(report, options ?? ReportOptions.Default));
        writer.Flush();
    }

    public void Write(ScanReport report, Stream stream, ReportOptions? options = null)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 4096, leaveOpen: true);
        Write(report, writer, options);
    }

    private static string Render(ScanReport report, ReportOptions options)
    {
        // Lines end in '\n' on every OS: terminals take it, and the golden files stay the same everywhere.
        var sb = new StringBuilder();
        foreach (var finding in ReportContent.OrderedFindings(report))
        {
            var severity = finding.Severity.ToString().ToUpperInvariant();
            sb.Append(Clean(SecretIdentity.NormalizePath(finding.Path)))
                .Append(':').Append(finding.Line.ToString(CultureInfo.InvariantCulture))
                .Append(':').Append(finding.Column.ToString(CultureInfo.InvariantCulture))
                .Append("  ");
            if (options.Color)
            {
                sb.Append(Color(finding.Severity)).Append(severity).Append(Reset);
            }
            else
            {
                sb.Append(severity);
            }

            sb.Append(' ', Math.Max(0, SeverityWidth - severity.Length))
                .Append("  ").Append(Clean(finding.RuleId))
                .Append("  ").Append(Clean(ReportContent.Title(finding.Rule)))
                .Append('\n');

            var snippet = ReportContent.Snippet(finding, options);
            if (snippet.Length > 0)
            {
                sb.Append(Indent).Append(Clean(snippet)).Append('\n');
            }

            if (!options.Redact)
            {
                sb.Append(Indent).Append("secret: ").Append(Clean(finding.Secret)).Append('\n');
            }

            if (!string.IsNullOrEmpty(finding.Commit))
            {
                sb.Append(Indent).Append("commit: ").Append(Clean(finding.Commit)).Append('\n');
            }

            if (finding.History is { } history)
            {
                sb.Append(Indent).Append("history: added ").Append(Day(history.Date)).Append(" by ").Append(Clean(history.Author))
                    .Append(" in ").Append(Short(history.Commit)).Append(" \"").Append(Clean(history.Summary)).Append("\"; ")
                    .Append(history.InHead ? "still in HEAD" : "gone from HEAD, last seen " + Day(history.LastSeen) + " in " + Short(history.LastSeenCommit));
                if (history.Occurrences > 1 || history.Paths.Count > 1)
                {
                    sb.Append("; ").Append(Count(history.Occurrences, "version", "versions")).Append(" under ").Append(Clean(string.Join(", ", history.Paths)));
                }

                sb.Append('\n');
            }

            if (finding.Verification is { } verification)
            {
                sb.Append(Indent).Append("verified: ").Append(ReportContent.Name(verification.State))
                    .Append(" (").Append(Clean(verification.Provider));
                if (verification.Scopes.Count > 0)
                {
                    sb.Append("; scopes: ").Append(Clean(string.Join(", ", verification.Scopes)));
                }

                if (!string.IsNullOrEmpty(verification.Detail))
                {
                    sb.Append("; ").Append(Clean(verification.Detail));
                }

                sb.Append(")\n");
            }

            sb.Append('\n');
        }

        // A few skipped files are worth naming; a build folder's thousand binaries are one line (JSON and SARIF list them all).
        var skipped = report.Warnings.Where(w => w.Kind == ScanWarningKind.Skipped).ToArray();
        var listSkipped = skipped.Length <= MaxListedSkips;
        foreach (var warning in ReportContent.OrderedWarnings(report))
        {
            if (!listSkipped && warning.Kind == ScanWarningKind.Skipped)
            {
                continue;
            }

            sb.Append("warning: ").Append(ReportContent.Name(warning.Kind)).Append(": ");
            if (warning.Path.Length > 0)
            {
                // Repository-wide warnings (an unreadable ref, a shallow clone) have no path.
                sb.Append(Clean(SecretIdentity.NormalizePath(warning.Path))).Append(": ");
            }

            sb.Append(Clean(warning.Message)).Append('\n');
        }

        if (!listSkipped)
        {
            sb.Append("skipped ").Append(skipped.Length.ToString(CultureInfo.InvariantCulture)).Append(" files: ")
                .Append(string.Join(", ", skipped.GroupBy(w => SkipReason(w.Message)).OrderByDescending(g => g.Count())
                    .Select(g => g.Count().ToString(CultureInfo.InvariantCulture) + " " + Clean(g.Key))))
                .Append(" (--format json lists them)\n");
        }

        if (report.Warnings.Count > 0)
        {
            sb.Append('\n');
        }

        sb.Append(Summary(report)).Append('\n');
        return sb.ToString();
    }

    /// <summary>"3 findings (1 critical, 1 high, 1 medium, 0 low) in 12 files, 2 skipped, 0 errors, 153 ms".</summary>
    public static string Summary(ScanReport report)
    {
        var stats = report.Statistics;
        var sb = new StringBuilder();
        sb.Append(Count(report.Findings.Count, "finding", "findings"));
        if (report.Findings.Count > 0)
        {
            var parts = new[] { Severity.Critical, Severity.High, Severity.Medium, Severity.Low }
                .Select(s => report.Findings.Count(f => f.Severity == s).ToString(CultureInfo.InvariantCulture) + " " + ReportContent.Name(s));
            sb.Append(" (").Append(string.Join(", ", parts)).Append(')');
        }

        sb.Append(" in ").Append(Count(stats.FilesScanned, "file", "files"))
            .Append(", ").Append(stats.FilesSkipped.ToString(CultureInfo.InvariantCulture)).Append(" skipped")
            .Append(", ").Append(Count(stats.Errors, "error", "errors"))
            .Append(", ").Append(stats.DurationMilliseconds.ToString(CultureInfo.InvariantCulture)).Append(" ms");
        return sb.ToString();
    }

    private const int MaxListedSkips = 10;

    /// <summary>The reason without its details: "larger than the size limit (...)" becomes "larger than the size limit".</summary>
    private static string SkipReason(string message)
    {
        var cut = message.IndexOfAny(new[] { '(', ':' });
        return (cut > 0 ? message.Substring(0, cut) : message).Trim();
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Short(string commit) => Clean(commit.Length > 12 ? commit.Substring(0, 12) : commit);

    private static string Count(long n, string one, string many) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    private static string Color(Severity severity) => severity switch
    {
        Severity.Critical => "\u001b[1;31m",
        Severity.High => "\u001b[31m",
        Severity.Medium => "\u001b[33m",
        _ => "\u001b[36m",
    };

    /// <summary>
    /// Control characters from scanned files and their names become U+FFFD: an escape sequence in a hostile file
    /// name or line must not reach the terminal.
    /// </summary>
    private static string Clean(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) ? (c == '\t' ? ' ' : '\uFFFD') : c);
        }

        return sb.ToString();
    }
}
