// The JSON report: one flat object per finding with stable, documented field names (README.md), for scripts and CI.
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Reporting;

public sealed class JsonReportWriter : IReportWriter
{
    /// <summary>Bumped only when a field changes meaning or goes away; new fields do not bump it.</summary>
    public const int DocumentVersion = 1;

    public string Format => "json";

    public string FileExtension => ".json";

    public void Write(ScanReport report, TextWriter writer, ReportOptions? options = null) =>
        JsonOutput.Write(writer, json => WriteDocument(json, report, options ?? ReportOptions.Default));

    public void Write(ScanReport report, Stream stream, ReportOptions? options = null) =>
        JsonOutput.Write(stream, json => WriteDocument(json, report, options ?? ReportOptions.Default));

    private static void WriteDocument(Utf8JsonWriter json, ScanReport report, ReportOptions options)
    {
        json.WriteStartObject();
        json.WriteNumber("version", DocumentVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", SarifReportWriter.ToolName);
        json.WriteString("version", report.ToolVersion);
        json.WriteEndObject();

        json.WriteStartArray("findings");
        foreach (var finding in ReportContent.OrderedFindings(report))
        {
            WriteFinding(json, finding, options);
        }

        json.WriteEndArray();

        json.WriteStartArray("warnings");
        foreach (var warning in ReportContent.OrderedWarnings(report))
        {
            json.WriteStartObject();
            json.WriteString("kind", ReportContent.Name(warning.Kind));
            json.WriteString("path", SecretIdentity.NormalizePath(warning.Path));
            WriteNullable(json, "ruleId", warning.RuleId);
            json.WriteString("message", warning.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        var stats = report.Statistics;
        json.WriteStartObject("statistics");
        json.WriteNumber("findings", report.Findings.Count);
        json.WriteNumber("filesScanned", stats.FilesScanned);
        json.WriteNumber("bytesScanned", stats.BytesScanned);
        json.WriteNumber("filesSkipped", stats.FilesSkipped);
        json.WriteNumber("errors", stats.Errors);
        json.WriteNumber("durationMs", stats.DurationMilliseconds);
        WriteNullable(json, "startedAt", report.StartedAt is { } started ? JsonOutput.Timestamp(started) : null);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    // Every field is always present (null when unknown), in this order, so consumers and diffs can rely on the shape.
    private static void WriteFinding(Utf8JsonWriter json, Finding finding, ReportOptions options)
    {
        var rule = finding.Rule;
        json.WriteStartObject();
        json.WriteString("ruleId", rule.Id);
        json.WriteString("ruleName", rule.Name);
        json.WriteString("title", ReportContent.Title(rule));
        json.WriteString("severity", ReportContent.Name(rule.Severity));
        json.WriteString("confidence", ReportContent.Name(rule.Confidence));
        json.WriteString("path", SecretIdentity.NormalizePath(finding.Path));
        json.WriteNumber("line", finding.Line);
        json.WriteNumber("column", finding.Column);
        json.WriteNumber("endLine", finding.EndLine);
        json.WriteNumber("endColumn", finding.EndColumn);
        json.WriteString("secret", ReportContent.Secret(finding, options));
        json.WriteString("secretHash", finding.SecretHash);
        json.WriteString("fingerprint", finding.Fingerprint);
        WriteNullable(json, "commit", string.IsNullOrEmpty(finding.Commit) ? null : finding.Commit);
        json.WriteString("validation", ReportContent.Name(finding.Validation));
        if (finding.Verification is null)
        {
            json.WriteNull("verification");
        }
        else
        {
            WriteVerification(json, "verification", finding.Verification);
        }

        if (finding.History is null)
        {
            json.WriteNull("history");
        }
        else
        {
            WriteHistory(json, "history", finding.History);
        }

        json.WriteNumber("entropy", finding.Entropy);
        json.WriteString("snippet", ReportContent.Snippet(finding, options));
        json.WriteStartArray("tags");
        foreach (var tag in rule.Tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A liveness check's answer (--verify): state, provider, scopes, and why when unknown. SARIF shares it.</summary>
    internal static void WriteVerification(Utf8JsonWriter json, string name, Verification verification)
    {
        json.WriteStartObject(name);
        json.WriteString("state", ReportContent.Name(verification.State));
        json.WriteString("provider", verification.Provider);
        json.WriteStartArray("scopes");
        foreach (var scope in verification.Scopes)
        {
            json.WriteStringValue(scope);
        }

        json.WriteEndArray();
        WriteNullable(json, "detail", verification.Detail);
        json.WriteEndObject();
    }

    /// <summary>A git history finding's life: introducing commit, exposure window, HEAD, paths. SARIF shares it.</summary>
    internal static void WriteHistory(Utf8JsonWriter json, string name, HistoryInfo history)
    {
        json.WriteStartObject(name);
        json.WriteString("commit", history.Commit);
        json.WriteString("author", history.Author);
        json.WriteString("authorEmail", history.AuthorEmail);
        json.WriteString("date", JsonOutput.Timestamp(history.Date));
        json.WriteString("summary", history.Summary);
        json.WriteString("firstSeen", JsonOutput.Timestamp(history.FirstSeen));
        json.WriteString("lastSeenCommit", history.LastSeenCommit);
        json.WriteString("lastSeen", JsonOutput.Timestamp(history.LastSeen));
        json.WriteBoolean("inHead", history.InHead);
        json.WriteStartArray("paths");
        foreach (var path in history.Paths)
        {
            json.WriteStringValue(path);
        }

        json.WriteEndArray();
        json.WriteNumber("occurrences", history.Occurrences);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
