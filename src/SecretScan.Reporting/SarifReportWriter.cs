// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run per report (category), deterministic output.
using System.Text;
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Reporting;

public sealed class SarifReportWriter : IReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public const string SarifVersion = "2.1.0";

    public const string ToolName = "SecretScan";

    /// <summary>The base id finding URIs are relative to; GitHub resolves it to the repository checkout.</summary>
    public const string SourceRootBaseId = "%SRCROOT%";

    // GitHub code scanning limits; longer descriptions are rejected, not truncated.
    private const int MaxDescriptionLength = 1024;

    private static readonly ScanWarningKind[] NotificationKinds =
    {
        ScanWarningKind.RegexTimeout,
        ScanWarningKind.Skipped,
        ScanWarningKind.Error,
    };

    public string Format => "sarif";

    public string FileExtension => ".sarif";

    public void Write(ScanReport report, TextWriter writer, ReportOptions? options = null) => Write(new[] { report }, writer, options);

    public void Write(ScanReport report, Stream stream, ReportOptions? options = null) => Write(new[] { report }, stream, options);

    /// <summary>One SARIF log with a run per report; categories must differ (GitHub rejects two runs of one category).</summary>
    public void Write(IReadOnlyList<ScanReport> runs, TextWriter writer, ReportOptions? options = null)
    {
        CheckRuns(runs);
        JsonOutput.Write(writer, json => WriteLog(json, runs, options ?? ReportOptions.Default));
    }

    /// <inheritdoc cref="Write(IReadOnlyList{ScanReport}, TextWriter, ReportOptions?)"/>
    public void Write(IReadOnlyList<ScanReport> runs, Stream stream, ReportOptions? options = null)
    {
        CheckRuns(runs);
        JsonOutput.Write(stream, json => WriteLog(json, runs, options ?? ReportOptions.Default));
    }

    /// <summary>"github-pat-classic" gives "GithubPatClassic": SARIF names are identifiers, kebab handles are not.</summary>
    public static string PascalName(string kebab)
    {
        var sb = new StringBuilder(kebab.Length);
        var upper = true;
        foreach (var c in kebab)
        {
            if (c is '-' or '_' or ' ' or '.' or '/')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return sb.ToString();
    }

    /// <summary>GitHub's scale: over 9.0 is critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, under 4.0 low.</summary>
    public static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        _ => "3.0",
    };

    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    private static void CheckRuns(IReadOnlyList<ScanReport> runs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            if (!seen.Add(AutomationId(run.Category)))
            {
                throw new ArgumentException($"two SARIF runs share the category '{run.Category}'", nameof(runs));
            }
        }
    }

    private static string AutomationId(string category) =>
        string.IsNullOrWhiteSpace(category) ? ScanReport.TreeCategory + "/" : category.EndsWith('/') ? category : category + "/";

    private static void WriteLog(Utf8JsonWriter json, IReadOnlyList<ScanReport> runs, ReportOptions options)
    {
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", SarifVersion);
        json.WriteStartArray("runs");
        foreach (var run in runs)
        {
            WriteRun(json, run, options);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRun(Utf8JsonWriter json, ScanReport report, ReportOptions options)
    {
        var rules = ReportContent.Rules(report);
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            ruleIndex[rules[i].Id] = i;
        }

        json.WriteStartObject();
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", ToolName);
        json.WriteString("semanticVersion", report.ToolVersion);
        json.WriteString("informationUri", report.InformationUri);
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            WriteRule(json, rule, report);
        }

        json.WriteEndArray();
        json.WriteStartArray("notifications");
        foreach (var kind in NotificationKinds)
        {
            WriteNotificationDescriptor(json, kind);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("automationDetails");
        json.WriteString("id", AutomationId(report.Category));
        json.WriteEndObject();

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject(SourceRootBaseId);
        json.WriteString("uri", ArtifactUri.Folder(report.ScanRoot));
        json.WriteEndObject();
        json.WriteEndObject();

        // Finding columns count UTF-16 code units (.NET strings); say so, since SARIF readers may assume code points.
        json.WriteString("columnKind", "utf16CodeUnits");

        WriteInvocation(json, report, ruleIndex);

        json.WriteStartArray("results");
        foreach (var finding in ReportContent.OrderedFindings(report))
        {
            WriteResult(json, finding, ruleIndex[finding.RuleId], report, options);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, Rule rule, ScanReport report)
    {
        var title = ReportContent.Title(rule);
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteString("name", PascalName(string.IsNullOrWhiteSpace(rule.Name) ? rule.Id : rule.Name));
        WriteText(json, "shortDescription", Cap(title));
        WriteText(json, "fullDescription", Cap(FullDescription(rule, title)));

        var helpUri = HelpUri(rule, report);
        if (helpUri is not null)
        {
            json.WriteString("helpUri", helpUri);
        }

        var (helpText, helpMarkdown) = Help(rule, title);
        json.WriteStartObject("help");
        json.WriteString("text", helpText);
        json.WriteString("markdown", helpMarkdown);
        json.WriteEndObject();

        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(rule.Severity));
        json.WriteEndObject();

        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        foreach (var tag in ReportContent.ReportTags(rule))
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteString("precision", ReportContent.Name(rule.Confidence));
        json.WriteString("security-severity", SecuritySeverity(rule.Severity));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNotificationDescriptor(Utf8JsonWriter json, ScanWarningKind kind)
    {
        json.WriteStartObject();
        json.WriteString("id", ReportContent.Name(kind));
        WriteText(json, "shortDescription", kind switch
        {
            ScanWarningKind.RegexTimeout => "A rule's regular expression timed out; findings of that rule in the file may be missing.",
            ScanWarningKind.Skipped => "A file was not scanned (binary, too large, unreadable or outside the scan root).",
            _ => "Reading a file failed.",
        });
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", NotificationLevel(kind));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter json, ScanReport report, Dictionary<string, int> ruleIndex)
    {
        var warnings = ReportContent.OrderedWarnings(report);
        var stats = report.Statistics;
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", stats.Errors == 0 && warnings.All(w => w.Kind != ScanWarningKind.Error));
        if (report.StartedAt is { } started)
        {
            json.WriteString("startTimeUtc", JsonOutput.Timestamp(started));
            json.WriteString("endTimeUtc", JsonOutput.Timestamp(started + stats.Duration));
        }

        json.WriteStartArray("toolExecutionNotifications");
        foreach (var warning in warnings)
        {
            json.WriteStartObject();
            json.WriteString("level", NotificationLevel(warning.Kind));
            WriteText(json, "message", warning.Message);
            if (!string.IsNullOrEmpty(warning.Path))
            {
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                WriteArtifactLocation(json, warning.Path, report);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteStartObject("descriptor");
            json.WriteString("id", ReportContent.Name(warning.Kind));
            json.WriteNumber("index", Array.IndexOf(NotificationKinds, warning.Kind));
            json.WriteEndObject();
            if (!string.IsNullOrEmpty(warning.RuleId))
            {
                json.WriteStartObject("associatedRule");
                json.WriteString("id", warning.RuleId);
                if (ruleIndex.TryGetValue(warning.RuleId, out var index))
                {
                    json.WriteNumber("index", index);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        // Scan counters ride in the property bag: SARIF has no place for them and viewers ignore what they do not know.
        json.WriteStartObject("properties");
        json.WriteNumber("filesScanned", stats.FilesScanned);
        json.WriteNumber("bytesScanned", stats.BytesScanned);
        json.WriteNumber("filesSkipped", stats.FilesSkipped);
        json.WriteNumber("errors", stats.Errors);
        json.WriteNumber("durationMs", stats.DurationMilliseconds);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteResult(Utf8JsonWriter json, Finding finding, int ruleIndex, ScanReport report, ReportOptions options)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(finding.Severity));
        WriteText(json, "message", ReportContent.Title(finding.Rule) + " found: " + ReportContent.Secret(finding, options));

        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        WriteArtifactLocation(json, finding.Path, report);
        json.WriteStartObject("region");
        json.WriteNumber("startLine", Math.Max(1, finding.Line));
        json.WriteNumber("startColumn", Math.Max(1, finding.Column));
        json.WriteNumber("endLine", Math.Max(Math.Max(1, finding.Line), finding.EndLine));
        json.WriteNumber("endColumn", Math.Max(1, finding.EndColumn));
        var snippet = ReportContent.Snippet(finding, options);
        if (snippet.Length > 0)
        {
            WriteText(json, "snippet", snippet);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();

        // GitHub matches alerts across runs by these; the fingerprint has no line number, so edits above it do not reopen alerts.
        json.WriteStartObject("partialFingerprints");
        json.WriteString("primaryLocationLineHash", finding.Fingerprint);
        json.WriteString("secretHash/v1", finding.SecretHash);
        json.WriteEndObject();

        json.WriteStartObject("properties");
        json.WriteString("confidence", ReportContent.Name(finding.Confidence));
        json.WriteString("validation", ReportContent.Name(finding.Validation));
        if (finding.Verification is not null)
        {
            JsonReportWriter.WriteVerification(json, "verification", finding.Verification);
        }

        json.WriteNumber("entropy", finding.Entropy);
        if (!string.IsNullOrEmpty(finding.Commit))
        {
            json.WriteString("commit", finding.Commit);
        }

        if (finding.History is not null)
        {
            JsonReportWriter.WriteHistory(json, "history", finding.History);
        }

        json.WriteString("secretFingerprint", finding.Fingerprint);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// Paths under the scan root become "%SRCROOT%"-relative references (what GitHub needs to place an alert);
    /// an absolute path outside the root keeps its own file URI, which is honest if not placeable.
    /// </summary>
    private static void WriteArtifactLocation(Utf8JsonWriter json, string path, ScanReport report)
    {
        json.WriteStartObject("artifactLocation");
        var relative = RelativeToRoot(path, report.ScanRoot);
        if (relative is null)
        {
            json.WriteString("uri", ArtifactUri.File(path));
        }
        else
        {
            json.WriteString("uri", ArtifactUri.Relative(relative));
            json.WriteString("uriBaseId", SourceRootBaseId);
        }

        json.WriteEndObject();
    }

    private static string? RelativeToRoot(string path, string root)
    {
        var normalized = SecretIdentity.NormalizePath(path);
        var isAbsolute = normalized.StartsWith('/') || (normalized.Length >= 3 && normalized[1] == ':' && normalized[2] == '/');
        if (!isAbsolute)
        {
            return normalized;
        }

        var rootPath = SecretIdentity.NormalizePath(root).TrimEnd('/') + "/";
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return normalized.StartsWith(rootPath, comparison) && normalized.Length > rootPath.Length
            ? normalized.Substring(rootPath.Length)
            : null;
    }

    private static string FullDescription(Rule rule, string title)
    {
        // The first paragraph of the help says what leaked in a sentence or two; headings and lists are not prose.
        var paragraph = new List<string>();
        foreach (var raw in rule.Help.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
            {
                if (paragraph.Count > 0)
                {
                    break;
                }

                continue;
            }

            paragraph.Add(line);
        }

        if (paragraph.Count > 0)
        {
            return string.Join(" ", paragraph);
        }

        var check = string.IsNullOrEmpty(rule.Checksum) ? "" : $" Matches must pass the {rule.Checksum} check.";
        return $"{title}. Reported at {ReportContent.Name(rule.Severity)} severity with {ReportContent.Name(rule.Confidence)} confidence.{check}";
    }

    private static (string Text, string Markdown) Help(Rule rule, string title)
    {
        var body = rule.Help.Replace("\r\n", "\n").Trim();
        if (body.Length == 0)
        {
            body = $"{title} found. Treat it as leaked: revoke or rotate it at its provider, remove it from the code " +
                   "(and from the history if it was pushed), and load it from a secret store instead.";
        }

        var text = new StringBuilder(body);
        var markdown = new StringBuilder(body);
        var references = rule.References.Where(r => !string.IsNullOrWhiteSpace(r)).ToArray();
        if (references.Length > 0)
        {
            text.Append("\n\nReferences:");
            markdown.Append("\n\n**References**\n");
            foreach (var reference in references)
            {
                text.Append("\n- ").Append(reference);
                // Angle brackets make a link only of a real URL; anything else stays plain text.
                markdown.Append("\n- ").Append(IsWebUri(reference, out _) ? "<" + reference + ">" : reference);
            }
        }

        return (text.ToString(), markdown.ToString());
    }

    /// <summary>The first absolute reference, else the rule's entry in the tool's rule list.</summary>
    private static string? HelpUri(Rule rule, ScanReport report)
    {
        foreach (var reference in rule.References)
        {
            if (IsWebUri(reference, out var uri))
            {
                return uri.AbsoluteUri;
            }
        }

        return Uri.TryCreate(report.InformationUri, UriKind.Absolute, out var info)
            ? info.AbsoluteUri.TrimEnd('/') + "/blob/main/rules/README.md#" + rule.Id.ToLowerInvariant()
            : null;
    }

    private static bool IsWebUri(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string NotificationLevel(ScanWarningKind kind) => kind switch
    {
        ScanWarningKind.Error => "error",
        ScanWarningKind.RegexTimeout => "warning",
        _ => "note",
    };

    private static void WriteText(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static string Cap(string text) =>
        text.Length <= MaxDescriptionLength ? text : text.Substring(0, MaxDescriptionLength - 1) + "…";
}
