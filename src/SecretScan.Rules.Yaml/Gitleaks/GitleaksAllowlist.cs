// A gitleaks allowlist (and a rule's `path` scope) evaluated on findings with gitleaks' own OR / AND semantics.
using System.Text.RegularExpressions;
using SecretScan.Core;

namespace SecretScan.Rules.Yaml.Gitleaks;

/// <summary>What an allowlist's regexes are matched against (gitleaks `regexTarget`).</summary>
public enum RegexTarget
{
    /// <summary>The secret (the rule's secret group); the default.</summary>
    Secret,

    /// <summary>The whole regex match.</summary>
    Match,

    /// <summary>The line that holds the secret.</summary>
    Line,
}

/// <summary>
/// One gitleaks allowlist, or the part of one the engine cannot run. With <see cref="RequireAll"/> (condition = "AND")
/// every check it has must pass; otherwise any one suffices. Regexes have a match timeout, and a timeout counts as no
/// match, so a hostile pattern can only cost time, never hide a finding.
/// </summary>
public sealed class GitleaksAllowlist : IFindingSuppression
{
    public string Source { get; init; } = "";

    /// <summary>Rule ids the allowlist applies to; null for every rule.</summary>
    public IReadOnlySet<string>? RuleIds { get; init; }

    public bool RequireAll { get; init; }

    public IReadOnlyList<string> Commits { get; init; } = Array.Empty<string>();

    public IReadOnlyList<Regex> Paths { get; init; } = Array.Empty<Regex>();

    public RegexTarget Target { get; init; }

    public IReadOnlyList<Regex> Regexes { get; init; } = Array.Empty<Regex>();

    public IReadOnlyList<string> Stopwords { get; init; } = Array.Empty<string>();

    public bool IsEmpty => Commits.Count == 0 && Paths.Count == 0 && Regexes.Count == 0 && Stopwords.Count == 0;

    public bool Suppresses(Finding finding)
    {
        if (IsEmpty || (RuleIds is not null && !RuleIds.Contains(finding.RuleId)))
        {
            return false;
        }

        var checks = new List<Func<bool>>(4);
        if (Commits.Count > 0)
        {
            checks.Add(() => finding.Commit is { } commit && Commits.Any(c => string.Equals(c.Trim(), commit, StringComparison.OrdinalIgnoreCase)));
        }

        if (Paths.Count > 0)
        {
            checks.Add(() => Paths.Any(p => IsMatch(p, finding.Path)));
        }

        if (Regexes.Count > 0)
        {
            // Findings keep the secret and its line (redacted, near the secret), not the whole match; the line holds the match.
            var text = Target == RegexTarget.Secret ? finding.Secret : LineOf(finding);
            checks.Add(() => Regexes.Any(r => IsMatch(r, text)));
        }

        if (Stopwords.Count > 0)
        {
            checks.Add(() => Stopwords.Any(w => finding.Secret.Contains(w, StringComparison.OrdinalIgnoreCase)));
        }

        return RequireAll ? checks.All(c => c()) : checks.Any(c => c());
    }

    /// <summary>The finding's line as far as the report keeps it (up to 60 characters either side of the secret), with the secret in place.</summary>
    internal static string LineOf(Finding finding)
    {
        var at = finding.Snippet.IndexOf(finding.Redacted, StringComparison.Ordinal);
        return at < 0 ? finding.Secret : string.Concat(finding.Snippet.AsSpan(0, at), finding.Secret, finding.Snippet.AsSpan(at + finding.Redacted.Length));
    }

    internal static bool IsMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

/// <summary>A rule's `path`: gitleaks runs the rule only on files whose path matches, so its other findings are dropped.</summary>
public sealed class GitleaksPathScope : IFindingSuppression
{
    public GitleaksPathScope(string ruleId, Regex path)
    {
        RuleId = ruleId;
        Path = path;
    }

    public string RuleId { get; }

    public Regex Path { get; }

    // A timeout keeps the finding: the scope may only narrow a rule when it is sure.
    public bool Suppresses(Finding finding)
    {
        if (finding.RuleId != RuleId)
        {
            return false;
        }

        try
        {
            return !Path.IsMatch(finding.Path);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
