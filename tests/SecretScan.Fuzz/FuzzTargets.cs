// The five fuzz targets. Each takes one input; the documented errors that the CLI turns into one line and exit
// code 2 are caught here, so any other exception (or a fail-fast, or a hang) is a crash AFL records.
using System.Text;
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Core.Validation;
using SecretScan.Reporting;
using SecretScan.Rules.Yaml;

namespace SecretScan.Fuzz;

internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["rules"] = Rules,
        ["config"] = Config,
        ["validators"] = ValidatorTarget,
        ["readers"] = Readers,
        ["engine"] = Engine,
    };

    // Everything that runs instrumented code is lazy: nothing may touch it before SharpFuzz has mapped AFL's coverage
    // memory (inside Fuzzer.Run), or the instrumented code writes through a null map pointer.

    /// <summary>Validator ids in a fixed order, so an input's first byte always picks the same one.</summary>
    private static readonly Lazy<ISecretValidator[]> ValidatorList = new(() => Validators.Ids.Select(id => Validators.Find(id)!).ToArray());

    /// <summary>Paths an engine input is scanned under: path allowlists and file-type rules make the path matter.</summary>
    private static readonly string[] EnginePaths = { "src/app.py", ".env", "config/settings.json", "deploy/values.yaml", "docs/README.md", "vendor/lib.min.js", "Program.cs", "id_rsa" };

    private static readonly Lazy<Scanner> BuiltIn = new(() => new Scanner(RuleSet.Create(BuiltInRules.All, new RuleSetOptions { CompileRegexes = false })));

    private static readonly string TempReport = Path.Combine(Path.GetTempPath(), $"secretscan-fuzz-{Environment.ProcessId}.report");

    /// <summary>`--rules FILE` and `rules check`: load the YAML, build the rule set, run it over the file itself.</summary>
    private static void Rules(byte[] input)
    {
        try
        {
            var text = InputText.Decode(input);
            var rules = RuleFileLoader.Parse("fuzz.yaml", text);
            RuleCheck.Run(rules, requireDocumentation: false, seed: 1);
            var set = RuleSet.Create(rules, new RuleSetOptions { CompileRegexes = false, RegexTimeout = TimeSpan.FromMilliseconds(200) });
            new Scanner(set).Scan(new TextFragment(text, "fuzz.yaml"));
        }
        catch (Exception e) when (e is ConfigException or RuleException)
        {
        }
    }

    /// <summary>`.secretscan.yaml` / `--config`: parse (revoke section included), merge, resolve rules, build the rule set.</summary>
    private static void Config(byte[] input)
    {
        try
        {
            var config = ScanConfig.Empty.Merge(ScanConfigLoader.Parse("/fuzz/.secretscan.yaml", InputText.Decode(input)));
            var rules = CliInternals.Resolve(config);
            var own = rules.Where(r => config.Rules.Contains(r)).ToArray();

            // What `scan` does with the config's limits: the timeout and the global allowlist reach the rule set.
            RuleSet.Create(own, new RuleSetOptions
            {
                CompileRegexes = false,
                GlobalAllowlist = config.Allow,
                RegexTimeout = config.RegexTimeout ?? TimeSpan.FromSeconds(1),
            });
        }
        catch (Exception e) when (e is ConfigException or RuleException || CliInternals.IsUsageError(e))
        {
        }
    }

    /// <summary>Every checksum validator: the first byte picks one, the rest (UTF-8) is the candidate secret.</summary>
    private static void ValidatorTarget(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var validators = ValidatorList.Value;
        var validator = validators[input[0] % validators.Length];
        validator.IsValid(Encoding.UTF8.GetString(input, 1, input.Length - 1));
    }

    /// <summary>`revoke --from` (JSON report or SARIF) when the first byte is even, the baseline reader when odd.</summary>
    private static void Readers(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        if (input[0] % 2 == 0)
        {
            File.WriteAllBytes(TempReport, input.AsSpan(1).ToArray());
            try
            {
                CliInternals.ReadReportFindings(TempReport);
            }
            catch (Exception e) when (CliInternals.IsUsageError(e))
            {
            }
        }
        else
        {
            try
            {
                var baseline = BaselineFile.Parse(".secretscan-baseline", InputText.Decode(input, 1));
                var writer = new StringWriter();
                BaselineFile.Write(baseline, writer);
                var again = BaselineFile.Parse(".secretscan-baseline", writer.ToString());
                if (!again.Entries.SequenceEqual(baseline.Entries))
                {
                    throw new OracleException("a baseline read back after writing differs from the one written");
                }
            }
            catch (BaselineFormatException)
            {
            }
        }
    }

    /// <summary>
    /// `scan` on one file: the first byte picks the path and whole or windowed reading, the rest is the file's bytes,
    /// decoded as the CLI decodes files. Findings go through every report writer, and no report may hold a secret.
    /// </summary>
    private static void Engine(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var path = EnginePaths[input[0] % EnginePaths.Length];
        var windowed = (input[0] & 0x80) != 0;
        var bytes = input.AsSpan(1).ToArray();
        var encoding = CliInternals.DetectEncoding(bytes, bytes.Length, out var bom);
        if (encoding is null)
        {
            return;
        }

        var scanner = BuiltIn.Value;
        var result = new ScanResult();
        if (windowed)
        {
            // The path the CLI takes for files over 8 MB, with windows small enough for fuzz inputs to cross them.
            using var reader = new StreamReader(new MemoryStream(bytes, bom, bytes.Length - bom), encoding, detectEncodingFromByteOrderMarks: false);
            scanner.Scan(reader, path, result, windowChars: 2048, overlapChars: 512);
        }
        else
        {
            scanner.Scan(new TextFragment(encoding.GetString(bytes, bom, bytes.Length - bom), path), result);
        }

        if (result.Findings.Count == 0 && result.Warnings.Count == 0)
        {
            return;
        }

        var report = new ScanReport
        {
            Findings = result.Findings,
            Rules = result.Findings.Select(f => f.Rule).Distinct().ToArray(),
            Warnings = result.Warnings,
            ToolVersion = "0.0.0-fuzz",
            ScanRoot = "/fuzz",
        };
        foreach (var writer in ReportFormats.All)
        {
            var text = new StringWriter();
            writer.Write(report, text);
            var written = text.ToString();
            foreach (var finding in result.Findings)
            {
                // Short secrets can occur by chance elsewhere in a report; a long one there is a leak.
                if (finding.Secret.Length >= 16 && written.Contains(finding.Secret, StringComparison.Ordinal))
                {
                    throw new OracleException($"{writer.Format} report contains the full secret of a {finding.RuleId} finding");
                }
            }

            if (writer is SarifReportWriter or JsonReportWriter)
            {
                // What `revoke --from` will read back.
                File.WriteAllText(TempReport, written);
                CliInternals.ReadReportFindings(TempReport);
            }
        }
    }
}
