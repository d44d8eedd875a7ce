// The analyzer's own .editorconfig / MSBuild options. A malformed value falls back to the default, never to an exception.
using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecretScan.Analyzers;

internal sealed class AnalyzerSettings
{
    /// <summary>Scan AdditionalFiles (appsettings*.json, *.config, .env...): true (default) or false.</summary>
    public const string AdditionalFilesKey = "secretscan.additional_files";

    /// <summary>Largest AdditionalFile scanned, in bytes (default 4 MB; 0 = no limit).</summary>
    public const string MaxAdditionalFileSizeKey = "secretscan.max_additional_file_size";

    /// <summary>Report generic (low-confidence) and test-environment findings in test projects and on fixture-named
    /// symbols (FakeApiKey, DummyPassword): false (default) or true.</summary>
    public const string ReportTestFixturesKey = "secretscan.report_test_fixtures";

    /// <summary>MSBuild's IsTestProject, made visible to the compiler by the package's build props.</summary>
    public const string IsTestProjectKey = "build_property.istestproject";

    public const long DefaultMaxAdditionalFileSize = 4L << 20;

    public static readonly AnalyzerSettings Default = new(true, DefaultMaxAdditionalFileSize, false, null);

    private AnalyzerSettings(bool additionalFiles, long maxAdditionalFileSize, bool reportTestFixtures, bool? isTestProject)
    {
        AdditionalFiles = additionalFiles;
        MaxAdditionalFileSize = maxAdditionalFileSize;
        ReportTestFixtures = reportTestFixtures;
        IsTestProject = isTestProject;
    }

    public bool AdditionalFiles { get; }

    public long MaxAdditionalFileSize { get; }

    public bool ReportTestFixtures { get; }

    /// <summary>Null when the build did not say (the package's props make it visible).</summary>
    public bool? IsTestProject { get; }

    public static AnalyzerSettings Read(AnalyzerConfigOptions options)
    {
        try
        {
            return new AnalyzerSettings(
                ReadBool(options, AdditionalFilesKey) ?? Default.AdditionalFiles,
                ReadSize(options, MaxAdditionalFileSizeKey) ?? Default.MaxAdditionalFileSize,
                ReadBool(options, ReportTestFixturesKey) ?? Default.ReportTestFixtures,
                ReadBool(options, IsTestProjectKey));
        }
        catch (ArgumentException)
        {
            // A host that rejects a key (it never should) must not turn into AD0001.
            return Default;
        }
    }

    private static bool? ReadBool(AnalyzerConfigOptions options, string key)
    {
        if (!options.TryGetValue(key, out var raw) || raw is null)
        {
            return null;
        }

        var value = raw.Trim();
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0" || value.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return null;
    }

    /// <summary>Bytes, optionally with a KB/MB/GB suffix (binary multiples). Negative or unreadable: null.</summary>
    private static long? ReadSize(AnalyzerConfigOptions options, string key)
    {
        if (!options.TryGetValue(key, out var raw) || raw is null)
        {
            return null;
        }

        var value = raw.Trim().ToUpperInvariant();
        var shift = 0;
        foreach (var (suffix, bits) in new[] { ("KB", 10), ("MB", 20), ("GB", 30), ("B", 0) })
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value.Substring(0, value.Length - suffix.Length).Trim();
                shift = bits;
                break;
            }
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > (long.MaxValue >> shift))
        {
            return null;
        }

        return number << shift;
    }
}
