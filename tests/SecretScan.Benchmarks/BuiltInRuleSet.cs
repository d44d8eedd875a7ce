// The rule set the CLI scans with by default: the built-in rules, with their source-generated regexes when the build has them.
using System.Reflection;
using System.Text.RegularExpressions;
using SecretScan.Core;
using SecretScan.Core.Generated;

namespace SecretScan.Benchmarks;

public static class BuiltInRuleSet
{
    /// <summary>
    /// True when BuiltInRules.Precompiled exists. It is looked up by reflection because it only exists once the rule
    /// compiler has written BuiltInRegexes.g.cs, and the benchmarks must build before and after that.
    /// </summary>
    public static bool HasPrecompiledRegexes => PrecompiledRegex is not null;

    private static Func<Rule, Regex?>? PrecompiledRegex { get; } =
        typeof(BuiltInRules).GetMethod("Precompiled", BindingFlags.Public | BindingFlags.Static, [typeof(Rule)]) is { } method &&
        method.ReturnType == typeof(Regex)
            ? method.CreateDelegate<Func<Rule, Regex?>>()
            : null;

    public static bool HasRules => BuiltInRules.All.Count > 0;

    public static RuleSet Create() => RuleSet.Create(BuiltInRules.All, new RuleSetOptions { PrecompiledRegex = PrecompiledRegex });

    public static string Describe() =>
        $"{BuiltInRules.All.Count} built-in rules, " +
        (HasPrecompiledRegexes ? "source-generated regexes" : "runtime-compiled regexes (BuiltInRules.Precompiled not generated yet)");
}
