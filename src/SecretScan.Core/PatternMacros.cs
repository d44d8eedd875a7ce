// Named regex fragments that rules share, so "a secret-named key assigned a value" reads the same in every rule.
// Expanded when a rule is loaded (built-in rules are stored expanded); user rules may use them too.
namespace SecretScan.Core;

public static class PatternMacros
{
    /// <summary>
    /// The rest of an identifier, then whatever joins a name to its value in env files, JSON, YAML, code, XML,
    /// properties, Dockerfiles, CLI flags, HTTP headers and Markdown tables, then an optional opening quote.
    /// </summary>
    public const string Assign =
        @"[\w.\-]{0,40}?" +
        @"(?:" +
            @"\\?[""'`]?\]?\s{0,4}(?::{1,3}=|=>|\?\??=|\+=|\.=|=(?!=)|::?|\|)(?:\s{0,4}|[ \t]{0,24})\\?(?:[""'`]|@""|\$""|r""|b""|u8"")?" + // = : := => |, env[""X""] = (env, JSON, YAML, code, tables)
            @"|[""'][ \t]{0,4},[ \t]{0,4}(?:[""'`]|@"")" +
            @"|[""'`]?[ \t]{0,4}(?:\|\||\?\?|\bor\b)[ \t]{0,4}[""'`]" +                                         // process.env.NAME || 'value' fallbacks
            @"|[""'`]?[ \t]{1,4}to[ \t]{1,4}[""'`]" +                                                         // prose: Set `NAME` to `value`                                                               // ("NAME", "value") calls
            @"|[""']\s+value\s*=\s*[""']" +                                                                // <add key="Name" value="...">
            @"|>\s{0,4}" +                                                                                // <Name>value</Name>
            @"|\s*\{\s*get;\s*(?:set|init);\s*\}\s*=\s*(?:@|\$|u8)?""" +                                  // C# auto-property initializer
            @"|\s{0,2}:\s{0,2}[A-Za-z_][\w<>\[\]?.]{0,30}\s{0,2}=\s{0,2}[""'`]?" +                             // name: String = "v" (Kotlin, TypeScript, Swift)
            @"|[""']?\s{0,4}\r?\n\s{0,40}value:\s{0,4}[""']?" +                                            // Kubernetes env: - name: X / value: v
            @"|[ \t]{1,4}(?:[A-Za-z_]\w{0,20}[ \t]{1,4}=[ \t]{0,4})?[""']?" +                                 // ENV NAME value, --flag value, Go: var name string = "v"
        @")";

    /// <summary>Nothing that could continue a token right after the value (a '/' may follow: tokens sit in URL paths).</summary>
    public const string End = @"(?![A-Za-z0-9_+=\-])";

    /// <summary>Nothing that could belong to a token right before the value (`=`, `/`, `-`, quotes may precede: KEY=value, URLs, --flag=value).</summary>
    public const string Begin = @"(?<![A-Za-z0-9_+])";

    private static readonly (string Name, string Value)[] All =
    {
        ("{{assign}}", Assign),
        ("{{end}}", End),
        ("{{begin}}", Begin),
    };

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static string Expand(string pattern)
    {
        if (pattern.IndexOf("{{", StringComparison.Ordinal) < 0)
        {
            return pattern;
        }

        foreach (var (name, value) in All)
        {
            pattern = pattern.Replace(name, value);
        }

        return pattern;
    }
}
