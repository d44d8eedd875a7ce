// One DiagnosticDescriptor per rule of Core's compiled rule table: the rule id is the diagnostic id (.editorconfig key).
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SecretScan.Core;
using SecretScan.Core.Generated;

namespace SecretScan.Analyzers;

internal static class RuleDiagnostics
{
    /// <summary>Where the per-id help pages live (src/SecretScan.Analyzers/docs/rules/ID.md in the repository).</summary>
    public const string HelpLinkBase = "https://github.com/secretscan/secretscan/blob/main/src/SecretScan.Analyzers/docs/rules/";

    /// <summary>Categories carry the rule severity, so the package's presets can raise a whole severity class to error
    /// with one `dotnet_analyzer_diagnostic.category-...` line that stays true when rules are added.</summary>
    public const string CriticalCategory = "SecretScan.Critical";
    public const string HighCategory = "SecretScan.High";
    public const string MediumCategory = "SecretScan.Medium";
    public const string LowCategory = "SecretScan.Low";

    private static readonly Lazy<State> Shared = new(() => new State(BuiltInRules.All), LazyThreadSafetyMode.ExecutionAndPublication);

    public static ImmutableArray<DiagnosticDescriptor> All => Shared.Value.Descriptors;

    public static DiagnosticDescriptor For(Rule rule) => Shared.Value.ById[rule.Id];

    public static bool TryGet(string id, out DiagnosticDescriptor descriptor) => Shared.Value.ById.TryGetValue(id, out descriptor!);

    public static string HelpLink(string ruleId) => HelpLinkBase + ruleId + ".md";

    /// <summary>critical, high and medium are warnings (the strict preset raises critical and high to errors); low is info.</summary>
    public static DiagnosticSeverity DefaultSeverity(Severity severity) =>
        severity == Severity.Low ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning;

    public static string Category(Severity severity) => severity switch
    {
        Severity.Critical => CriticalCategory,
        Severity.High => HighCategory,
        Severity.Medium => MediumCategory,
        _ => LowCategory,
    };

    public static DiagnosticDescriptor Create(Rule rule) => new(
        id: rule.Id,
        title: rule.Title,
        messageFormat: "{0}: {1} (" + rule.Name + ")",
        category: Category(rule.Severity),
        defaultSeverity: DefaultSeverity(rule.Severity),
        isEnabledByDefault: true,
        description: Summary(rule.Help),
        helpLinkUri: HelpLink(rule.Id),
        customTags: new[] { "Security", "Secret", rule.Name });

    /// <summary>The first paragraph of the rule's help, as the IDE's one-paragraph description.</summary>
    private static string Summary(string help)
    {
        var text = help.Replace("\r\n", "\n").Trim();
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return (end < 0 ? text : text.Substring(0, end)).Replace('\n', ' ');
    }

    private sealed class State
    {
        public State(IReadOnlyList<Rule> rules)
        {
            var byId = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
            foreach (var rule in rules)
            {
                byId[rule.Id] = Create(rule);
            }

            ById = byId;
            Descriptors = byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray();
        }

        public Dictionary<string, DiagnosticDescriptor> ById { get; }

        public ImmutableArray<DiagnosticDescriptor> Descriptors { get; }
    }
}
