// A baseline: the findings a team has accepted, by rule id, secret hash and fingerprint only, so later scans report
// only what is new. Matching falls back to (rule, secret hash) so a moved file is still the same secret.
using SecretScan.Core;

namespace SecretScan.Reporting;

/// <summary>One accepted finding. No secret, no line, no commit, no time: nothing that changes when code moves.</summary>
public sealed record BaselineEntry(string RuleId, string SecretHash, string Fingerprint) : IComparable<BaselineEntry>
{
    public static BaselineEntry Of(Finding finding) => new(finding.RuleId, finding.SecretHash, finding.Fingerprint);

    public int CompareTo(BaselineEntry? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = string.CompareOrdinal(RuleId, other.RuleId);
        if (c == 0)
        {
            c = string.CompareOrdinal(SecretHash, other.SecretHash);
        }

        return c != 0 ? c : string.CompareOrdinal(Fingerprint, other.Fingerprint);
    }
}

/// <summary>How a finding relates to a baseline.</summary>
public enum BaselineMatch
{
    /// <summary>Not in the baseline: a new finding.</summary>
    None,

    /// <summary>Same rule, secret and path.</summary>
    Fingerprint,

    /// <summary>Same rule and secret under another path: the file moved (or the secret was copied); still the same secret.</summary>
    Secret,
}

public sealed class Baseline
{
    private readonly HashSet<string> fingerprints;
    private readonly HashSet<(string, string)> secrets;

    public Baseline(IEnumerable<BaselineEntry> entries)
    {
        Entries = entries.Distinct().Order().ToArray();
        fingerprints = new HashSet<string>(Entries.Select(e => e.Fingerprint), StringComparer.Ordinal);
        secrets = new HashSet<(string, string)>(Entries.Select(e => (e.RuleId, e.SecretHash)));
    }

    public static Baseline Empty { get; } = new(Array.Empty<BaselineEntry>());

    /// <summary>Sorted by rule id, secret hash, fingerprint; no duplicates.</summary>
    public IReadOnlyList<BaselineEntry> Entries { get; }

    public static Baseline From(IEnumerable<Finding> findings) => new(findings.Select(BaselineEntry.Of));

    public BaselineMatch Match(Finding finding) =>
        fingerprints.Contains(finding.Fingerprint) ? BaselineMatch.Fingerprint :
        secrets.Contains((finding.RuleId, finding.SecretHash)) ? BaselineMatch.Secret :
        BaselineMatch.None;

    /// <summary>The findings that are not in the baseline.</summary>
    public IReadOnlyList<Finding> NewFindings(IEnumerable<Finding> findings) => findings.Where(f => Match(f) == BaselineMatch.None).ToArray();

    /// <summary>Entries that no finding matches, by fingerprint or by secret: the secret is gone (or its rule was turned off).</summary>
    public IReadOnlyList<BaselineEntry> Stale(IEnumerable<Finding> findings)
    {
        var seenFingerprints = new HashSet<string>(StringComparer.Ordinal);
        var seenSecrets = new HashSet<(string, string)>();
        foreach (var f in findings)
        {
            seenFingerprints.Add(f.Fingerprint);
            seenSecrets.Add((f.RuleId, f.SecretHash));
        }

        return Entries.Where(e => !seenFingerprints.Contains(e.Fingerprint) && !seenSecrets.Contains((e.RuleId, e.SecretHash))).ToArray();
    }

    /// <summary>
    /// The baseline after a new scan: every current finding (a moved secret gets its new fingerprint), plus the stale
    /// entries unless <paramref name="prune"/>. Entries still matched by fingerprint are kept as they are.
    /// </summary>
    public Baseline Update(IReadOnlyList<Finding> findings, bool prune)
    {
        var entries = findings.Select(BaselineEntry.Of).ToList();
        if (!prune)
        {
            entries.AddRange(Stale(findings));
        }

        return new Baseline(entries);
    }
}
