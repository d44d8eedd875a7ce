// `secretscan rules list` and `secretscan rules check`: the same RuleCheck the tests and the rule compiler run.
using System.Text.Json;
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Rules.Yaml;

namespace SecretScan.Cli;

internal static class RulesRun
{
    public static int List(string? rulesPath, string format)
    {
        var rules = rulesPath is null ? BuiltInRules.All : RuleFileLoader.LoadPath(rulesPath);
        if (format == "json")
        {
            using var stream = Console.OpenStandardOutput();
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartArray();
            foreach (var r in rules)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Id);
                json.WriteString("name", r.Name);
                json.WriteString("title", r.Title);
                json.WriteString("severity", r.Severity.ToString().ToLowerInvariant());
                json.WriteString("confidence", r.Confidence.ToString().ToLowerInvariant());
                json.WriteStartArray("tags");
                foreach (var t in r.Tags)
                {
                    json.WriteStringValue(t);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.Flush();
            Console.Out.WriteLine();
            return ExitCodes.Clean;
        }

        var idWidth = Math.Max(2, rules.Count == 0 ? 2 : rules.Max(r => r.Id.Length));
        var nameWidth = Math.Max(4, rules.Count == 0 ? 4 : rules.Max(r => r.Name.Length));
        foreach (var r in rules)
        {
            Console.Out.WriteLine($"{r.Id.PadRight(idWidth)}  {r.Name.PadRight(nameWidth)}  {r.Severity.ToString().ToLowerInvariant(),-8}  {r.Title}");
        }

        Console.Out.WriteLine($"{rules.Count} rules");
        return ExitCodes.Clean;
    }

    public static int Check(string? rulesPath, int seed)
    {
        var rules = rulesPath is null ? BuiltInRules.All : RuleFileLoader.LoadPath(rulesPath);
        var problems = RuleCheck.Run(rules, requireDocumentation: rulesPath is null || IsBuiltInFolder(rulesPath), seed);
        foreach (var p in problems)
        {
            Console.Out.WriteLine(p.ToString());
        }

        var examples = rules.Sum(r => r.Examples.Count + r.NegativeExamples.Count);
        Console.Out.WriteLine(problems.Count == 0
            ? $"{rules.Count} rules OK ({examples} examples and negative examples run)"
            : $"{problems.Count} problems in {problems.Select(p => p.Rule.Id).Distinct().Count()} of {rules.Count} rules");
        return problems.Count == 0 ? ExitCodes.Clean : ExitCodes.Findings;
    }

    /// <summary>Rules of this repository's rules/ folder must carry full documentation; a user's own rule file need not.</summary>
    private static bool IsBuiltInFolder(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Directory.Exists(full) ? full : Path.GetDirectoryName(full)!;
        return Path.GetFileName(dir) == "rules" && File.Exists(Path.Combine(dir, "..", "SecretScan.sln"));
    }
}
