// The scan configuration file (.secretscan.yaml or --config): extra rules, disabled rules, allowlists and limits.
using System.Globalization;
using YamlDotNet.RepresentationModel;
using SecretScan.Core;
using SecretScan.Rules.Yaml.Gitleaks;

namespace SecretScan.Rules.Yaml;

public sealed record ScanConfig
{
    public static readonly ScanConfig Empty = new();

    /// <summary>The conventional config file name at a scan root.</summary>
    public const string DefaultFileName = ".secretscan.yaml";

    /// <summary>Files this config was read from, in order of increasing precedence.</summary>
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();

    /// <summary>Custom rules added to (or, with UseDefaultRules false, instead of) the built-in ones.</summary>
    public IReadOnlyList<Rule> Rules { get; init; } = Array.Empty<Rule>();

    /// <summary>Rule ids or names to turn off.</summary>
    public IReadOnlyList<string> Disable { get; init; } = Array.Empty<string>();

    public Allowlist Allow { get; init; } = Allowlist.Empty;

    public bool? UseDefaultRules { get; init; }

    public long? MaxFileSize { get; init; }

    public TimeSpan? RegexTimeout { get; init; }

    /// <summary>`max_findings_per_file`: findings kept per file before the rest are counted in a warning; 0 = no limit.</summary>
    public int? MaxFindingsPerFile { get; init; }

    public string? Baseline { get; init; }

    /// <summary>The `revoke:` section: audit log, provider base URLs, timeout and hooks.</summary>
    public RevokeConfig Revoke { get; init; } = RevokeConfig.Empty;

    /// <summary>The `gitleaks:` key: whether to pick up a gitleaks config at the scan root; null when no config says.</summary>
    public GitleaksSettings? Gitleaks { get; init; }

    /// <summary>Line markers that suppress findings besides `secretscan:allow` (`gitleaks:allow` from a gitleaks import).</summary>
    public IReadOnlyList<string> InlineAllowMarkers { get; init; } = Array.Empty<string>();

    /// <summary>Checks on findings the rule model cannot express (from a gitleaks import); the CLI applies them after the scan.</summary>
    public IReadOnlyList<IFindingSuppression> Suppressions { get; init; } = Array.Empty<IFindingSuppression>();

    /// <summary>The findings no <see cref="Suppressions"/> entry drops.</summary>
    public IReadOnlyList<Finding> Suppress(IReadOnlyList<Finding> findings) =>
        Suppressions.Count == 0 ? findings : findings.Where(f => !Suppressions.Any(s => s.Suppresses(f))).ToArray();

    /// <summary>Merges a config of higher precedence over this one: lists add up, scalars are overridden.</summary>
    public ScanConfig Merge(ScanConfig over) => new()
    {
        Files = Files.Concat(over.Files).ToArray(),
        Rules = Rules.Concat(over.Rules).ToArray(),
        Disable = Disable.Concat(over.Disable).ToArray(),
        Allow = new Allowlist
        {
            Paths = Allow.Paths.Concat(over.Allow.Paths).ToArray(),
            Patterns = Allow.Patterns.Concat(over.Allow.Patterns).ToArray(),
            Stopwords = Allow.Stopwords.Concat(over.Allow.Stopwords).ToArray(),
        },
        UseDefaultRules = over.UseDefaultRules ?? UseDefaultRules,
        MaxFileSize = over.MaxFileSize ?? MaxFileSize,
        RegexTimeout = over.RegexTimeout ?? RegexTimeout,
        MaxFindingsPerFile = over.MaxFindingsPerFile ?? MaxFindingsPerFile,
        Baseline = over.Baseline ?? Baseline,
        Revoke = Revoke.Merge(over.Revoke),
        Gitleaks = over.Gitleaks ?? Gitleaks,
        InlineAllowMarkers = InlineAllowMarkers.Concat(over.InlineAllowMarkers).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
        Suppressions = Suppressions.Concat(over.Suppressions).ToArray(),
    };
}

public static class ScanConfigLoader
{
    private static readonly string[] Keys = { "rules", "disable", "allow", "use_default_rules", "max_file_size", "regex_timeout_ms", "max_findings_per_file", "baseline", "revoke", "gitleaks" };

    public static ScanConfig LoadFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(file, 0, "cannot read config: " + e.Message);
        }

        return Parse(file, text);
    }

    public static ScanConfig Parse(string file, string text)
    {
        var root = YamlReader.Load(file, new StringReader(text));
        var config = new ScanConfig { Files = new[] { file } };
        if (root is null || root is YamlScalarNode { Value: null or "" })
        {
            return config;
        }

        var y = new YamlReader(file);
        foreach (var pair in y.Mapping(root, "the config").Children)
        {
            var key = y.String(pair.Key, "a config key");
            var v = pair.Value;
            config = key switch
            {
                "rules" => config with { Rules = RuleFileLoader.ParseRules(y, v) },
                "disable" => config with { Disable = y.Strings(v, "disable") },
                "allow" => config with { Allow = RuleFileLoader.ParseAllowlist(y, v, "allow") },
                "use_default_rules" => config with { UseDefaultRules = y.Bool(v, "use_default_rules") },
                "max_file_size" => config with { MaxFileSize = ParseSize(y, v) },
                "regex_timeout_ms" => config with { RegexTimeout = ParseRegexTimeout(y, v) },
                "max_findings_per_file" => config with { MaxFindingsPerFile = ParseFindingsLimit(y, v) },
                "baseline" => config with { Baseline = y.FilePath(v, "baseline") },
                "revoke" => config with { Revoke = RevokeConfigParser.Parse(y, v) },
                "gitleaks" => config with { Gitleaks = GitleaksSettings.Parse(y, v) },
                _ => throw ConfigException.At(file, pair.Key, $"unknown config key {ConfigException.Quote(key)} (known: {string.Join(", ", Keys)})"),
            };
        }

        return config;
    }

    /// <summary>Sizes such as 1048576, 512KB, 10MB, 2GB (binary multiples).</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        var s = text.Trim().ToUpperInvariant();
        long unit = 1;
        foreach (var (suffix, mult) in new[] { ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1L) })
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                unit = mult;
                s = s.Substring(0, s.Length - suffix.Length).Trim();
                break;
            }
        }

        bytes = 0;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            return false;
        }

        bytes = (long)(n * unit);
        return true;
    }

    /// <summary>Regex accepts 1 ms up to int.MaxValue - 1 ms; anything else would throw ArgumentOutOfRangeException at rule-set build.</summary>
    private static TimeSpan ParseRegexTimeout(YamlReader y, YamlNode node)
    {
        var ms = y.Int(node, "regex_timeout_ms");
        return ms is > 0 and < int.MaxValue
            ? TimeSpan.FromMilliseconds(ms)
            : throw ConfigException.At(y.File, node, "regex_timeout_ms must be a positive number of milliseconds");
    }

    private static int ParseFindingsLimit(YamlReader y, YamlNode node)
    {
        var n = y.Int(node, "max_findings_per_file");
        return n >= 0 ? n : throw ConfigException.At(y.File, node, "max_findings_per_file must be 0 (no limit) or a positive number");
    }

    private static long ParseSize(YamlReader y, YamlNode node)
    {
        var s = y.String(node, "max_file_size");
        return TryParseSize(s, out var bytes) ? bytes : throw ConfigException.At(y.File, node, $"max_file_size must be a size such as 10MB, not '{s}'");
    }
}
