// The rule set the CLI scans with by default: the built-in rules with default engine options.
using SecretScan.Core;
using SecretScan.Core.Generated;

namespace SecretScan.Benchmarks;

public static class BuiltInRuleSet
{
    public static bool HasRules => BuiltInRules.All.Count > 0;

    /// <summary>What `secretscan scan` builds without a config: <c>ScanSettings.EngineOptions()</c> with nothing set.</summary>
    public static RuleSet Create() => RuleSet.Create(BuiltInRules.All, new RuleSetOptions());

    public static string Describe() => $"{BuiltInRules.All.Count} built-in rules, regexes compiled at first use (as the CLI does)";
}
