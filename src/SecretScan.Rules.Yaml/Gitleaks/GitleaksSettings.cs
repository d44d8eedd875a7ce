// The `gitleaks:` key of .secretscan.yaml: whether a gitleaks config is picked up, which one, and `gitleaks:allow` comments.
using YamlDotNet.RepresentationModel;

namespace SecretScan.Rules.Yaml.Gitleaks;

/// <summary>
/// `gitleaks: auto` loads .gitleaks.toml at the scan root when there is one; `gitleaks: { config: path, allow_comments: false }`
/// names the file (relative to the scan root; it must exist) and turns `gitleaks:allow` comments off; `gitleaks: off`
/// overrides a lower config. Nothing is picked up unless a config asks for it.
/// </summary>
public sealed record GitleaksSettings
{
    public const string DefaultFileName = ".gitleaks.toml";

    public static readonly GitleaksSettings Off = new() { Enabled = false };

    public static readonly GitleaksSettings Auto = new();

    public bool Enabled { get; init; } = true;

    /// <summary>Path relative to the scan root; null picks up <see cref="DefaultFileName"/> at the root when it exists.</summary>
    public string? Config { get; init; }

    /// <summary>Whether `gitleaks:allow` on a line suppresses its findings, as in gitleaks (default true).</summary>
    public bool AllowComments { get; init; } = true;

    /// <summary>The gitleaks config to load for a scan of <paramref name="root"/>, or null when none applies.</summary>
    public string? Resolve(string root)
    {
        if (!Enabled)
        {
            return null;
        }

        if (Config is { Length: > 0 } named)
        {
            return Path.GetFullPath(Path.Combine(root, named));
        }

        var atRoot = Path.Combine(root, DefaultFileName);
        return File.Exists(atRoot) ? atRoot : null;
    }

    internal static GitleaksSettings Parse(YamlReader y, YamlNode node)
    {
        if (node is YamlScalarNode scalar)
        {
            return (scalar.Value ?? "").Trim().ToLowerInvariant() switch
            {
                "auto" or "true" or "on" => Auto,
                "off" or "false" or "none" or "" => Off,
                var other => throw ConfigException.At(y.File, node, $"gitleaks must be auto, off or a mapping with config and allow_comments, not '{other}'"),
            };
        }

        var settings = Auto;
        foreach (var pair in y.Mapping(node, "gitleaks").Children)
        {
            var key = y.String(pair.Key, "a gitleaks key");
            settings = key switch
            {
                "config" => y.String(pair.Value, "gitleaks.config") is var c && c.Equals("auto", StringComparison.OrdinalIgnoreCase) ? settings with { Config = null } : settings with { Config = c },
                "allow_comments" => settings with { AllowComments = y.Bool(pair.Value, "gitleaks.allow_comments") },
                "enabled" => settings with { Enabled = y.Bool(pair.Value, "gitleaks.enabled") },
                _ => throw ConfigException.At(y.File, pair.Key, $"unknown gitleaks key '{key}' (known: allow_comments, config, enabled)"),
            };
        }

        return settings;
    }
}
