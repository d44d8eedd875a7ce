// Reads rule files (rules/*.yaml and user rule files) into Core's Rule records, rejecting unknown fields with file:line.
using YamlDotNet.RepresentationModel;
using SecretScan.Core;

namespace SecretScan.Rules.Yaml;

public static class RuleFileLoader
{
    private static readonly HashSet<string> RuleFields = new(StringComparer.Ordinal)
    {
        "id", "name", "title", "severity", "confidence", "keywords", "pattern", "secret_group", "min_entropy",
        "checksum", "keyword_window", "candidates", "allow", "environment", "revoke", "help", "references", "tags", "examples", "negative_examples",
    };

    private static readonly HashSet<string> AllowFields = new(StringComparer.Ordinal) { "patterns", "paths", "stopwords" };

    /// <summary>Loads every *.yaml / *.yml file of a folder (sorted by name), or one file.</summary>
    public static IReadOnlyList<Rule> LoadPath(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .SelectMany(LoadFile)
                .ToArray();
        }

        if (File.Exists(path))
        {
            return LoadFile(path);
        }

        throw new ConfigException(path, 0, "no such rule file or folder");
    }

    public static IReadOnlyList<Rule> LoadFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(file, 0, "cannot read: " + e.Message);
        }

        return Parse(file, text);
    }

    /// <summary>Parses a document whose root mapping has a `rules:` list.</summary>
    public static IReadOnlyList<Rule> Parse(string file, string text)
    {
        var root = YamlReader.Load(file, new StringReader(text));
        if (root is null)
        {
            return Array.Empty<Rule>();
        }

        var y = new YamlReader(file);
        var mapping = y.Mapping(root, "a rule file");
        foreach (var key in mapping.Children.Keys)
        {
            if (y.String(key, "key") != "rules")
            {
                throw ConfigException.At(file, key, $"unknown top-level key {ConfigException.Quote(y.String(key, "key"))} (a rule file has only 'rules:')");
            }
        }

        return mapping.Children.TryGetValue(new YamlScalarNode("rules"), out var rules) ? ParseRules(y, rules) : Array.Empty<Rule>();
    }

    internal static IReadOnlyList<Rule> ParseRules(YamlReader y, YamlNode rules)
    {
        if (rules is YamlScalarNode { Value: null or "" })
        {
            return Array.Empty<Rule>();
        }

        return y.Sequence(rules, "rules").Children.Select(node => ParseRule(y, node)).ToArray();
    }

    private static Rule ParseRule(YamlReader y, YamlNode node)
    {
        var map = y.Mapping(node, "a rule");
        var rule = new Rule { Source = y.File, SourceLine = (int)node.Start.Line };
        foreach (var pair in map.Children)
        {
            var key = y.String(pair.Key, "a rule field");
            var v = pair.Value;
            rule = key switch
            {
                "id" => rule with { Id = y.String(v, "id") },
                "name" => rule with { Name = y.String(v, "name") },
                "title" => rule with { Title = y.String(v, "title") },
                "severity" => rule with { Severity = y.Enum<Severity>(v, "severity") },
                "confidence" => rule with { Confidence = y.Enum<Confidence>(v, "confidence") },
                "keywords" => rule with { Keywords = y.Strings(v, "keywords") },
                "pattern" => rule with { Pattern = PatternMacros.Expand(y.String(v, "pattern")) },
                "secret_group" => rule with { SecretGroup = y.Int(v, "secret_group") },
                "min_entropy" => rule with { MinEntropy = y.Double(v, "min_entropy") },
                "checksum" => rule with { Checksum = y.String(v, "checksum") },
                "keyword_window" => rule with { KeywordWindow = y.Int(v, "keyword_window") },
                "candidates" => rule with { Candidates = y.String(v, "candidates") },
                "allow" => rule with { Allow = ParseAllowlist(y, v, "allow") },
                "environment" => rule with { Environment = y.String(v, "environment") },
                "revoke" => rule with { Revoke = y.String(v, "revoke") },
                "help" => rule with { Help = y.String(v, "help") },
                "references" => rule with { References = y.Strings(v, "references") },
                "tags" => rule with { Tags = y.Strings(v, "tags") },
                "examples" => rule with { Examples = y.Strings(v, "examples") },
                "negative_examples" => rule with { NegativeExamples = y.Strings(v, "negative_examples") },
                _ => throw ConfigException.At(y.File, pair.Key, $"unknown rule field {ConfigException.Quote(key)} (known: {string.Join(", ", RuleFields.OrderBy(f => f))})"),
            };
        }

        if (string.IsNullOrWhiteSpace(rule.Id))
        {
            throw ConfigException.At(y.File, node, "rule has no id");
        }

        if (string.IsNullOrEmpty(rule.Pattern))
        {
            throw ConfigException.At(y.File, node, $"rule {rule.Id} has no pattern");
        }

        return rule;
    }

    internal static Allowlist ParseAllowlist(YamlReader y, YamlNode node, string what)
    {
        var map = y.Mapping(node, what);
        var allow = Allowlist.Empty;
        foreach (var pair in map.Children)
        {
            var key = y.String(pair.Key, what + " field");
            allow = key switch
            {
                "patterns" => allow with { Patterns = y.Patterns(pair.Value, what + ".patterns") },
                "paths" => allow with { Paths = y.Strings(pair.Value, what + ".paths") },
                "stopwords" => allow with { Stopwords = y.Strings(pair.Value, what + ".stopwords") },
                _ => throw ConfigException.At(y.File, pair.Key, $"unknown {what} field {ConfigException.Quote(key)} (known: {string.Join(", ", AllowFields.OrderBy(f => f))})"),
            };
        }

        return allow;
    }
}
