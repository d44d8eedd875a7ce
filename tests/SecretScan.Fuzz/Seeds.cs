// Writes seed inputs that must not be committed: rule examples and validator inputs filled with fresh random fake
// tokens, and real reports and baselines made from them. fuzz.sh adds them to the committed corpus at campaign start.
using System.Text;
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Core.Validation;
using SecretScan.Reporting;
using SecretScan.Rules.Yaml;

namespace SecretScan.Fuzz;

internal static class Seeds
{
    private const int MaxEngineSeeds = 120;

    /// <summary>Example templates per validator id, valid and deliberately broken.</summary>
    private static readonly Dictionary<string, string[]> ValidatorTemplates = new(StringComparer.Ordinal)
    {
        ["base58check"] = new[] { "{{wif}}", "{{xprv}}", "{{wif-bad}}" },
        ["bip32-xprv"] = new[] { "{{xprv}}", "{{tprv}}", "{{xprv-bad}}" },
        ["bip39"] = new[] { "{{bip39:12}}", "{{bip39:24}}", "{{bip39-bad:12}}" },
        ["bitcoin-wif"] = new[] { "{{wif}}", "{{wif-compressed}}", "{{wif-testnet}}", "{{wif-bad}}" },
        ["evm-private-key"] = new[] { "{{eth-key}}", "0x{{eth-key}}" },
        ["github-crc32"] = new[] { "{{github:ghp_}}", "{{github:gho_}}", "{{github-bad:ghs_}}" },
        ["jwt-structure"] = new[] { "{{jwt}}" },
        ["npm-crc32"] = new[] { "{{npm}}", "{{npm-bad}}" },
        ["pem-private-key"] = new[] { "{{pem:rsa}}", "{{pem:ec}}", "{{pem:openssh}}", "{{pem:pkcs8}}" },
        ["solana-keypair"] = new[] { "{{solana-key}}", "{{solana-key-json}}" },
    };

    /// <summary>`--seeds TARGET OUT REPO`: returns the number of files written.</summary>
    public static int Write(string target, string outDir, string repo)
    {
        Directory.CreateDirectory(outDir);
        var rng = new Random();
        var written = 0;
        void Save(string name, byte first, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            File.WriteAllBytes(Path.Combine(outDir, name), new[] { first }.Concat(bytes).ToArray());
            written++;
        }

        switch (target)
        {
            case "validators":
                var ids = Validators.Ids.ToArray();
                for (var i = 0; i < ids.Length; i++)
                {
                    var n = 0;
                    foreach (var template in ValidatorTemplates.GetValueOrDefault(ids[i], Array.Empty<string>()))
                    {
                        Save($"gen-{ids[i]}-{n++}", (byte)i, ExampleTemplates.Expand(template, rng));
                    }
                }

                break;

            case "engine":
                foreach (var (text, i) in Examples(repo, rng).Take(MaxEngineSeeds).Select((t, i) => (t, i)))
                {
                    Save($"gen-example-{i:D3}", (byte)(i % 8 | (i % 3 == 0 ? 0x80 : 0)), text);
                }

                break;

            case "readers":
                var report = ReportOf(Examples(repo, rng).Take(4));
                foreach (var writer in ReportFormats.All.Where(w => w is SarifReportWriter or JsonReportWriter))
                {
                    var text = new StringWriter();
                    writer.Write(report, text);
                    Save("gen-report" + writer.FileExtension, 0, text.ToString());
                }

                var baseline = new StringWriter();
                BaselineFile.Write(Baseline.From(report.Findings), baseline);
                Save("gen-baseline", 1, baseline.ToString());
                break;

            case "rules":
                // The two smallest real rule files: every field in real use, and small enough for AFL to mutate well.
                foreach (var file in Directory.EnumerateFiles(Path.Combine(repo, "rules"), "*.yaml").OrderBy(f => new FileInfo(f).Length).Take(2))
                {
                    File.Copy(file, Path.Combine(outDir, "gen-" + Path.GetFileName(file)), overwrite: true);
                    written++;
                }

                break;

            case "config":
                File.Copy(Path.Combine(repo, ScanConfig.DefaultFileName), Path.Combine(outDir, "gen-repo-config.yaml"), overwrite: true);
                written++;
                break;
        }

        return written;
    }

    /// <summary>One filled-in example per built-in rule, in rule-file order.</summary>
    private static IEnumerable<string> Examples(string repo, Random rng) =>
        RuleFileLoader.LoadPath(Path.Combine(repo, "rules"))
            .Where(r => r.Examples.Count > 0)
            .Select(r => ExampleTemplates.Expand(r.Examples[0], rng));

    private static ScanReport ReportOf(IEnumerable<string> texts)
    {
        var scanner = new Scanner(RuleSet.Create(BuiltInRules.All, new RuleSetOptions { CompileRegexes = false }));
        var result = new ScanResult();
        var n = 0;
        foreach (var text in texts)
        {
            scanner.Scan(new TextFragment(text, $"src/file{n++}.txt"), result);
        }

        return new ScanReport
        {
            Findings = result.Findings,
            Rules = result.Findings.Select(f => f.Rule).Distinct().ToArray(),
            ToolVersion = "0.0.0-fuzz",
            ScanRoot = "/fuzz",
        };
    }
}
