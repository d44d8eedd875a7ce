// Turns a scan into what GitHub Actions shows: workflow-command annotations, a Markdown job summary, step outputs.
using System.Globalization;
using System.Text;
using SecretScan.Core;
using SecretScan.Reporting;

namespace SecretScan.Cli;

internal sealed class CiGithubReport
{
    /// <summary>A job summary is cut off by GitHub at 1 MiB; past this many rows the SARIF file holds the rest.</summary>
    internal const int MaxSummaryRows = 500;

    private const string MarkdownSpecial = "\\`*_[]<>|~!#&$@{}";

    private readonly CiGithubContext context;
    private readonly Severity failOn;

    public CiGithubReport(CiGithubContext context, Severity failOn)
    {
        this.context = context;
        this.failOn = failOn;
    }

    /// <summary>
    /// One workflow command per finding, on the line the change added: error when it fails the check (at or above
    /// --fail-on), else warning (high, medium) or notice (low). Whole-scan warnings become warnings without a file.
    /// </summary>
    public IEnumerable<string> Annotations(IReadOnlyList<ScanReport> runs, string pathPrefix)
    {
        foreach (var f in Ordered(runs))
        {
            var level = f.Severity >= failOn ? "error" : f.Severity >= Severity.Medium ? "warning" : "notice";
            var properties = new StringBuilder()
                .Append("file=").Append(EscapeProperty(pathPrefix + f.Path))
                .Append(",line=").Append(f.Line.ToString(CultureInfo.InvariantCulture))
                .Append(",endLine=").Append(f.EndLine.ToString(CultureInfo.InvariantCulture));
            if (f.EndLine == f.Line)
            {
                // GitHub takes columns only for a single-line span.
                properties.Append(",col=").Append(f.Column.ToString(CultureInfo.InvariantCulture))
                    .Append(",endColumn=").Append(f.EndColumn.ToString(CultureInfo.InvariantCulture));
            }

            properties.Append(",title=").Append(EscapeProperty($"Secret: {f.Rule.Title} ({f.RuleId})"));
            yield return $"::{level} {properties}::{EscapeData(Message(f))}";
        }

        foreach (var w in runs.SelectMany(r => r.Warnings).Where(w => w.Path.Length == 0))
        {
            yield return $"::warning title=SecretScan::{EscapeData(w.Message)}";
        }
    }

    /// <summary>The job summary: what was scanned, then a table of findings, or the line that says none were found.</summary>
    public string Summary(CiScanPlan plan, IReadOnlyList<ScanReport> runs, string pathPrefix)
    {
        var findings = Ordered(runs).ToList();
        var md = new StringBuilder("### SecretScan\n\n");
        if (findings.Count == 0)
        {
            md.Append("**No secrets found** in ").Append(Text(plan.Scope)).Append(".\n");
        }
        else
        {
            var failing = findings.Count(f => f.Severity >= failOn);
            md.Append("**").Append(Count(findings.Count, "secret")).Append(" found** in ").Append(Text(plan.Scope));
            if (failing != findings.Count)
            {
                md.Append("; ").Append(failing.ToString(CultureInfo.InvariantCulture)).Append(" at or above --fail-on ").Append(Lower(failOn));
            }

            md.Append(".\n\n| Severity | Rule | File:line | Commit |\n| --- | --- | --- | --- |\n");
            foreach (var f in findings.Take(MaxSummaryRows))
            {
                md.Append("| ").Append(Lower(f.Severity))
                    .Append(" | ").Append(Text($"{f.RuleId} {f.Rule.Name}: {f.Rule.Title}"))
                    .Append(" | ").Append(Where(f, plan, pathPrefix))
                    .Append(" | ").Append(f.Commit is { Length: > 0 } c ? Link(CiScanPlanner.Short(c), CommitUrl(c)) : "")
                    .Append(" |\n");
            }

            if (findings.Count > MaxSummaryRows)
            {
                md.Append("\n").Append(findings.Count - MaxSummaryRows).Append(" more are in the SARIF file.\n");
            }

            md.Append("\nSecrets are redacted here and in the annotations. Rotate or revoke each one: deleting it from the code does not un-leak it, it stays in the git history of every clone.\n");
        }

        var notes = runs.SelectMany(r => r.Warnings).Where(w => w.Path.Length == 0).Select(w => w.Message).ToList();
        var errors = runs.Sum(r => r.Statistics.Errors);
        if (errors > 0)
        {
            notes.Add($"{Count(errors, "file")} could not be read; see the SARIF file or the log.");
        }

        if (notes.Count > 0)
        {
            md.Append('\n');
            foreach (var note in notes)
            {
                md.Append("- ").Append(Text(note)).Append('\n');
            }
        }

        if (context.IsFork)
        {
            md.Append("\nThis pull request comes from a fork, whose token cannot write code-scanning alerts: the step output fork=true lets the workflow skip the SARIF upload, and these annotations and this summary are the report.\n");
        }

        return md.Append('\n').ToString();
    }

    /// <summary>The summary when the scan could not run: the same one line the log shows.</summary>
    public static string Failure(string message) => $"### SecretScan\n\n**SecretScan could not scan**: {Text(message)}\n\n";

    /// <summary>Appends to a GitHub file command (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT); outside Actions there is none.</summary>
    public static void Append(string? file, string text)
    {
        if (file is null)
        {
            return;
        }

        try
        {
            File.AppendAllText(file, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{file}: cannot append: {e.Message}");
        }
    }

    /// <summary>
    /// Step outputs as GITHUB_OUTPUT lines: name=value, or the name&lt;&lt;DELIMITER form when a value spans lines
    /// (a path may hold a newline), with a delimiter that cannot occur in the value.
    /// </summary>
    public static string Outputs(IEnumerable<(string Name, string Value)> outputs)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in outputs)
        {
            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                string delimiter;
                do
                {
                    delimiter = "ghadelimiter_" + Guid.NewGuid().ToString("N");
                }
                while (value.Contains(delimiter, StringComparison.Ordinal));

                text.Append(name).Append("<<").Append(delimiter).Append('\n').Append(value).Append('\n').Append(delimiter).Append('\n');
            }
            else
            {
                text.Append(name).Append('=').Append(value).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A workflow command's message: %, CR and LF escaped, as the Actions toolkit does.</summary>
    internal static string EscapeData(string s) =>
        s.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A workflow command's property value: also ':' and ',', which would end it.</summary>
    internal static string EscapeProperty(string s) =>
        EscapeData(s).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    /// <summary>
    /// Markdown text that a path or message cannot turn into markup, a link, math, a mention or a broken table row:
    /// the characters that mean something inside a line are backslash-escaped (valid CommonMark), line breaks become spaces.
    /// </summary>
    internal static string Text(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            if (char.IsControl(c))
            {
                sb.Append(' ');
            }
            else
            {
                if (MarkdownSpecial.Contains(c))
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static IEnumerable<Finding> Ordered(IReadOnlyList<ScanReport> runs) =>
        runs.SelectMany(r => r.Findings)
            .OrderByDescending(f => f.Severity).ThenBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal);

    private static string Message(Finding f)
    {
        var text = $"{f.Rule.Title} ({f.RuleId} {f.Rule.Name}) found: {(string.IsNullOrEmpty(f.Redacted) ? SecretIdentity.Redact(f.Secret) : f.Redacted)} (redacted).";
        if (f.History is { InHead: false } gone)
        {
            text += $" Added in commit {CiScanPlanner.Short(gone.Commit)} and removed later, so it is still in the history.";
        }
        else if (f.Commit is { Length: > 0 } commit)
        {
            text += $" Added in commit {CiScanPlanner.Short(commit)}.";
        }

        return text + " Rotate or revoke it; deleting the line does not un-leak it.";
    }

    private string Where(Finding f, CiScanPlan plan, string pathPrefix)
    {
        var path = pathPrefix + f.Path;
        var gone = f.History is { InHead: false };
        var at = gone ? f.Commit : plan.TipCommit;
        var url = at is { Length: > 0 } && context.Repository is { } repo
            ? $"{context.ServerUrl}/{repo}/blob/{at}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}#L{f.Line.ToString(CultureInfo.InvariantCulture)}"
            : null;
        var where = Link($"{path}:{f.Line.ToString(CultureInfo.InvariantCulture)}", url);
        return gone ? where + " (removed later; still in the history)" : where;
    }

    private string? CommitUrl(string sha) => context.Repository is { } repo ? $"{context.ServerUrl}/{repo}/commit/{sha}" : null;

    private static string Link(string text, string? url) => url is null ? Text(text) : $"[{Text(text)}]({url})";

    private static string Lower(Severity s) => s.ToString().ToLowerInvariant();

    private static string Count(int n, string what) => $"{n.ToString(CultureInfo.InvariantCulture)} {what}{(n == 1 ? "" : "s")}";
}
