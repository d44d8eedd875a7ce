// Decides which rules a run uses: built-in (or --rules), plus config rules, minus disabled ones.
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Rules.Yaml;
using SecretScan.Rules.Yaml.Gitleaks;

namespace SecretScan.Cli;

internal static class RuleCatalog
{
    /// <summary>The rules of a run. Throws <see cref="UsageException"/> when a disabled id or name matches no rule.</summary>
    public static IReadOnlyList<Rule> Resolve(ScanConfig config, string? rulesPath)
    {
        IEnumerable<Rule> rules = rulesPath is not null
            ? RuleFileLoader.LoadPath(rulesPath)
            : config.UseDefaultRules ?? true ? BuiltInRules.All : Array.Empty<Rule>();
        var all = GitleaksConfigLoader.WithUniqueNames(rules.Concat(config.Rules)).ToList();
        var disabled = new HashSet<string>(config.Disable, StringComparer.OrdinalIgnoreCase);
        var unknown = disabled.Where(d => !all.Any(r => Is(r, d))).ToArray();
        if (unknown.Length > 0)
        {
            throw new UsageException($"{string.Join(", ", config.Files)}: 'disable' names no rule: {string.Join(", ", unknown)} (see `secretscan rules list`)");
        }

        return all.Where(r => !disabled.Any(d => Is(r, d))).ToArray();
    }

    private static bool Is(Rule rule, string idOrName) =>
        string.Equals(rule.Id, idOrName, StringComparison.OrdinalIgnoreCase) || string.Equals(rule.Name, idOrName, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A problem with what the user asked for; printed as one line, exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
