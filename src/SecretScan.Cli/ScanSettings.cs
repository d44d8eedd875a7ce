// The validated, immutable settings of one `scan` run, made from flags and config files in their order of precedence.
using SecretScan.Core;
using SecretScan.Rules.Yaml;
using SecretScan.Rules.Yaml.Gitleaks;

namespace SecretScan.Cli;

internal enum ReportFormat
{
    Text,
    Json,
    Sarif,
}

internal sealed record ScanSettings
{
    public const long DefaultMaxFileSize = 100L << 20;

    public required string Root { get; init; }

    /// <summary>When the user named a file rather than a folder: its path relative to <see cref="Root"/>.</summary>
    public string? SingleFile { get; init; }

    public required ScanConfig Config { get; init; }

    public string? RulesPath { get; init; }

    public ReportFormat Format { get; init; }

    public string? Output { get; init; }

    public Severity FailOn { get; init; } = Severity.Low;

    public int Threads { get; init; } = Environment.ProcessorCount;

    public bool Redact { get; init; } = true;

    public IReadOnlyList<string> Include { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Exclude { get; init; } = Array.Empty<string>();

    public long MaxFileSize { get; init; } = DefaultMaxFileSize;

    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Findings kept per file; the rest are counted in one warning (0 = no limit).</summary>
    public int MaxFindingsPerFile { get; init; } = RuleSetOptions.DefaultMaxFindingsPerFile;

    public bool Progress { get; init; }

    /// <summary>Measure per-rule regex time and print the slowest rules to stderr.</summary>
    public bool ProfileRules { get; init; }

    /// <summary>Baseline file whose findings are not reported (--baseline, else the config's `baseline:`); null for none.</summary>
    public string? Baseline { get; init; }

    /// <summary>--verify, --revoke, --yes, --audit-log.</summary>
    public RevocationRequest Revocation { get; init; } = RevocationRequest.None;

    /// <summary>The engine options every scan mode uses: allowlists, limits and inline-allow markers from one place.</summary>
    public RuleSetOptions EngineOptions() => new()
    {
        GlobalAllowlist = Config.Allow,
        RegexTimeout = RegexTimeout,
        MaxFindingsPerFile = MaxFindingsPerFile,
        MeasureRules = ProfileRules,
        InlineAllowMarkers = Config.InlineAllowMarkers,
    };

    /// <summary>
    /// Reads .secretscan.yaml at the root, then --config, in increasing precedence; then the gitleaks config that
    /// --gitleaks-config names, or that their `gitleaks:` key picks up, as the lowest layer (its rules add up, the YAML's
    /// settings win). Import warnings (rules it cannot translate) go to standard error.
    /// </summary>
    public static ScanConfig LoadConfig(string root, string? configFile, string? gitleaksConfig = null)
    {
        var config = ScanConfig.Empty;
        var atRoot = Path.Combine(root, ScanConfig.DefaultFileName);
        if (File.Exists(atRoot))
        {
            config = config.Merge(ScanConfigLoader.LoadFile(atRoot));
        }

        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new UsageException($"{configFile}: config file not found");
            }

            config = config.Merge(ScanConfigLoader.LoadFile(configFile));
        }

        var gitleaks = gitleaksConfig is not null ? Path.GetFullPath(gitleaksConfig) : config.Gitleaks?.Resolve(root);
        if (gitleaks is null)
        {
            return config;
        }

        if (!File.Exists(gitleaks))
        {
            throw new UsageException($"{gitleaksConfig ?? gitleaks}: gitleaks config not found");
        }

        var import = GitleaksConfigLoader.LoadFile(gitleaks);
        foreach (var warning in import.Warnings)
        {
            Console.Error.WriteLine("secretscan: warning: " + warning);
        }

        return import.ToScanConfig(allowComments: config.Gitleaks?.AllowComments ?? true).Merge(config);
    }
}
