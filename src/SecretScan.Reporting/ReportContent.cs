// What every format agrees on: the order of findings, rules and warnings, the words for enum values, and redaction.
using SecretScan.Core;

namespace SecretScan.Reporting;

internal static class ReportContent
{
    /// <summary>Path, line, column, rule id; the rest only breaks ties, so the same findings always print the same way.</summary>
    public static IReadOnlyList<Finding> OrderedFindings(ScanReport report) => report.Findings
        .OrderBy(f => SecretIdentity.NormalizePath(f.Path), StringComparer.Ordinal)
        .ThenBy(f => f.Line)
        .ThenBy(f => f.Column)
        .ThenBy(f => f.RuleId, StringComparer.Ordinal)
        .ThenBy(f => f.EndLine)
        .ThenBy(f => f.EndColumn)
        .ThenBy(f => f.Commit ?? "", StringComparer.Ordinal)
        .ThenBy(f => f.SecretHash, StringComparer.Ordinal)
        .ToArray();

    public static IReadOnlyList<ScanWarning> OrderedWarnings(ScanReport report) => report.Warnings
        .OrderBy(w => SecretIdentity.NormalizePath(w.Path), StringComparer.Ordinal)
        .ThenBy(w => w.RuleId ?? "", StringComparer.Ordinal)
        .ThenBy(w => w.Kind)
        .ThenBy(w => w.Message, StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// The report's rules plus any rule a finding names that the caller left out, one per id (the first one given
    /// wins), ordered by id: SARIF rejects duplicate ids, and ruleIndex must not depend on the order rules were loaded.
    /// </summary>
    public static IReadOnlyList<Rule> Rules(ScanReport report)
    {
        var byId = new Dictionary<string, Rule>(StringComparer.Ordinal);
        foreach (var rule in report.Rules.Concat(report.Findings.Select(f => f.Rule)))
        {
            byId.TryAdd(rule.Id, rule);
        }

        return byId.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
    }

    public static string Name(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Medium => "medium",
        Severity.Low => "low",
        _ => severity.ToString().ToLowerInvariant(),
    };

    public static string Name(Confidence confidence) => confidence switch
    {
        Confidence.High => "high",
        Confidence.Medium => "medium",
        Confidence.Low => "low",
        _ => confidence.ToString().ToLowerInvariant(),
    };

    public static string Name(ValidationState state) => state switch
    {
        ValidationState.Unverified => "unverified",
        ValidationState.ChecksumValid => "checksum-valid",
        ValidationState.Active => "active",
        ValidationState.Inactive => "inactive",
        ValidationState.Revoked => "revoked",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Name(LivenessState state) => state switch
    {
        LivenessState.Active => "active",
        LivenessState.Inactive => "inactive",
        _ => "unknown",
    };

    public static string Name(ScanWarningKind kind) => kind switch
    {
        ScanWarningKind.RegexTimeout => "regex-timeout",
        ScanWarningKind.Skipped => "skipped",
        ScanWarningKind.Error => "error",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The secret as the report shows it: redacted unless the caller turned redaction off.</summary>
    public static string Secret(Finding finding, ReportOptions options) => options.Redact ? Redacted(finding) : finding.Secret;

    /// <summary>
    /// The finding's snippet. The engine redacts it already; with redaction on, any raw copy of the secret a caller
    /// may have left in is masked again, because a report is the place a leak would be copied on from.
    /// </summary>
    public static string Snippet(Finding finding, ReportOptions options) =>
        options.Redact && finding.Secret.Length > 0
            ? finding.Snippet.Replace(finding.Secret, Redacted(finding), StringComparison.Ordinal)
            : finding.Snippet;

    /// <summary>The rule's tags, then "security" and "secret" (GitHub shows security-severity only with "security").</summary>
    public static IReadOnlyList<string> ReportTags(Rule rule)
    {
        var tags = new List<string>();
        foreach (var tag in rule.Tags.Append("security").Append("secret"))
        {
            if (!string.IsNullOrWhiteSpace(tag) && !tags.Contains(tag, StringComparer.Ordinal))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    public static string Title(Rule rule) =>
        !string.IsNullOrWhiteSpace(rule.Title) ? rule.Title.Trim() : !string.IsNullOrWhiteSpace(rule.Name) ? rule.Name : rule.Id;

    private static string Redacted(Finding finding) =>
        string.IsNullOrEmpty(finding.Redacted) ? SecretIdentity.Redact(finding.Secret) : finding.Redacted;
}
