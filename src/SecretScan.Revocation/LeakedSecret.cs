// The unit every action works on: one distinct secret, with every place it was found, so nothing acts on it twice.
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>
/// A distinct secret (by secret hash) and all findings of it. The same token in three files is revoked, verified and
/// announced to each hook once; the findings say where it leaked.
/// </summary>
public sealed class LeakedSecret
{
    private LeakedSecret(IReadOnlyList<Finding> findings)
    {
        Findings = findings;
        First = findings[0];

        // A secret matched by a generic rule and by a provider rule is the provider's: pick the rule that names a revoker.
        Rule = findings.Select(f => f.Rule).FirstOrDefault(r => !string.IsNullOrEmpty(r.Revoke)) ?? First.Rule;
    }

    /// <summary>Every finding of this secret, in the order given (the first one names it in logs and events).</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public Finding First { get; }

    /// <summary>The rule that decides the revoker: the first one that names one, else the first finding's rule.</summary>
    public Rule Rule { get; }

    /// <summary>The raw secret; kept in memory, never written anywhere but a provider request or an opted-in hook.</summary>
    public string Secret => First.Secret;

    public string SecretHash => First.SecretHash;

    public string Fingerprint => First.Fingerprint;

    public string Redacted => string.IsNullOrEmpty(First.Redacted) ? SecretIdentity.Redact(First.Secret) : First.Redacted;

    public Severity Severity => Findings.Max(f => f.Severity);

    /// <summary>The revoker id the rules name ("github", "gitlab", "slack"...), or null.</summary>
    public string? RevokerId => string.IsNullOrEmpty(Rule.Revoke) ? null : Rule.Revoke;

    /// <summary>Where it was found, for people: "path:line" of the first finding, plus a count of the others.</summary>
    public string Where =>
        $"{SecretIdentity.NormalizePath(First.Path)}:{First.Line}" + (Findings.Count > 1 ? $" (+{Findings.Count - 1} more)" : "");

    /// <summary>Groups findings by secret hash, keeping the order of first appearance. Findings without a secret are dropped.</summary>
    public static IReadOnlyList<LeakedSecret> Group(IEnumerable<Finding> findings)
    {
        var groups = new Dictionary<string, List<Finding>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var finding in findings)
        {
            if (string.IsNullOrEmpty(finding.Secret))
            {
                continue;
            }

            if (!groups.TryGetValue(finding.SecretHash, out var list))
            {
                groups[finding.SecretHash] = list = new List<Finding>();
                order.Add(finding.SecretHash);
            }

            list.Add(finding);
        }

        return order.Select(h => new LeakedSecret(groups[h])).ToArray();
    }

    /// <summary>True when any finding's rule has this id or name (case-insensitive), or "*" is given.</summary>
    public bool MatchesRule(string idOrName) =>
        idOrName == "*" || Findings.Any(f =>
            string.Equals(f.Rule.Id, idOrName, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(f.Rule.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    public bool HasTag(string tag) =>
        Findings.Any(f => f.Rule.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)));

    public override string ToString() => $"{Rule.Id} {Redacted} at {Where}";
}
