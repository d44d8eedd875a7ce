// Lints a rule set and runs every rule's examples: `secretscan rules check`, the rule compiler and the tests share it.
using System.Text.RegularExpressions;
using SecretScan.Core.Validation;

namespace SecretScan.Core;

public sealed record RuleProblem(Rule Rule, string Message)
{
    public override string ToString()
    {
        var where = Rule.SourceLine > 0 ? $"{Rule.Source}:{Rule.SourceLine}: " : Rule.Source != "built-in" ? Rule.Source + ": " : "";
        return $"{where}rule {Rule.Id} ({Rule.Name}): {Message}";
    }
}

public static class RuleCheck
{
    /// <summary>Words that occur everywhere in code and prose, or are prefixes of such words ("pat" hits "path").</summary>
    public static readonly IReadOnlyCollection<string> TooCommonKeywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "pat", "key", "keys", "api", "auth", "pass", "tok", "sec", "the", "and", "for", "var", "int", "str", "get", "set",
        "log", "url", "http", "https", "com", "www", "user", "name", "data", "type", "test", "value", "true", "false",
        "null", "string", "const", "return", "import", "from", "class", "new", "app", "net", "org", "dev", "err", "error",
    };

    private static readonly Regex IdShape = new("^[A-Z][A-Z0-9]{1,9}[0-9]{3,5}$", RegexOptions.CultureInvariant);
    private static readonly Regex NameShape = new("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    /// <param name="requireDocumentation">Built-in rules must carry help, references, examples and negative examples.</param>
    /// <param name="seed">
    /// Seed for the fake values example templates draw. Fixed, so a check passes or fails the same way every time: with
    /// fresh draws, 1 in 25 runs over the built-in rules failed on a value a rule rightly rejects (a random password
    /// holding the stopword "qux", a 40-letter bearer token without a digit). Another seed explores other values.
    /// </param>
    public static IReadOnlyList<RuleProblem> Run(IReadOnlyList<Rule> rules, bool requireDocumentation, int seed)
    {
        var problems = new List<RuleProblem>();
        var rng = new Random(seed);
        var ids = new Dictionary<string, Rule>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, Rule>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            void Problem(string message) => problems.Add(new RuleProblem(rule, message));

            if (ids.TryGetValue(rule.Id, out var other))
            {
                Problem($"duplicate id (also {other.Source}:{other.SourceLine})");
            }

            ids[rule.Id] = rule;
            if (!string.IsNullOrEmpty(rule.Name) && names.TryGetValue(rule.Name, out other))
            {
                Problem($"duplicate name (also {other.Source}:{other.SourceLine})");
            }

            names[rule.Name] = rule;
            if (!NameShape.IsMatch(rule.Name))
            {
                Problem("name must be kebab-case (a-z, 0-9, '-')");
            }

            if (string.IsNullOrWhiteSpace(rule.Title))
            {
                Problem("title is missing");
            }

            foreach (var keyword in rule.Keywords)
            {
                if (keyword.Trim().Length < 3)
                {
                    Problem($"keyword '{keyword}' is shorter than 3 characters");
                }
                else if (TooCommonKeywords.Contains(keyword.Trim()))
                {
                    Problem($"keyword '{keyword}' is too common to filter anything");
                }
            }

            if (requireDocumentation)
            {
                if (!IdShape.IsMatch(rule.Id))
                {
                    Problem("id must look like SS1234");
                }

                if (string.IsNullOrWhiteSpace(rule.Help))
                {
                    Problem("help is missing (say what leaked and how to rotate or revoke it)");
                }

                if (rule.References.Count == 0)
                {
                    Problem("references are missing");
                }

                if (rule.Examples.Count == 0)
                {
                    Problem("examples are missing");
                }

                if (rule.NegativeExamples.Count == 0)
                {
                    Problem("negative_examples are missing");
                }

                if (rule.Tags.Count == 0)
                {
                    Problem("tags are missing");
                }
            }

            Scanner scanner;
            try
            {
                scanner = new Scanner(RuleSet.Create(new[] { rule }, new RuleSetOptions { CompileRegexes = false }));
            }
            catch (RuleException e)
            {
                problems.Add(new RuleProblem(rule, e.Message.Substring(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)));
                continue;
            }

            CheckExamples(rule, scanner, rule.Examples, expectFinding: true, rng, problems);
            CheckExamples(rule, scanner, rule.NegativeExamples, expectFinding: false, rng, problems);
        }

        return problems;
    }

    private static void CheckExamples(Rule rule, Scanner scanner, IReadOnlyList<string> examples, bool expectFinding, Random rng, List<RuleProblem> problems)
    {
        for (var i = 0; i < examples.Count; i++)
        {
            string text;
            try
            {
                text = ExampleTemplates.Expand(examples[i], rng);
            }
            catch (ArgumentException e)
            {
                problems.Add(new RuleProblem(rule, $"{Kind(expectFinding)} {i + 1}: {e.Message}"));
                continue;
            }

            var result = scanner.Scan(new TextFragment(text, "example.txt"));
            var found = result.Findings.Any(f => f.RuleId == rule.Id);
            // Rules anchored to the start of a file (\A) describe whole files; padding would change what they mean.
            if (found == expectFinding && !rule.Pattern.Contains("\\A"))
            {
                // The same example inside a larger file, so keyword windows that cut the match short are caught too.
                var padded = scanner.Scan(new TextFragment(Padding + text + "\n" + Padding, "example.txt"));
                if (padded.Findings.Any(f => f.RuleId == rule.Id) != expectFinding)
                {
                    problems.Add(new RuleProblem(rule, $"{Kind(expectFinding)} {i + 1} {(expectFinding ? "did not match" : "matched")} inside a larger file (keyword_window too small?): {Shorten(examples[i])}"));
                    continue;
                }
            }

            if (found != expectFinding)
            {
                // Examples are templates: show the template, not the generated value, so no fresh token lands in a log.
                problems.Add(new RuleProblem(rule, $"{Kind(expectFinding)} {i + 1} {(expectFinding ? "did not match" : "matched")}: {Shorten(examples[i])}"));
            }

            foreach (var w in result.Warnings)
            {
                problems.Add(new RuleProblem(rule, $"{Kind(expectFinding)} {i + 1}: {w.Message}"));
            }
        }
    }

    /// <summary>8 KB of lines that hold no rule's keyword.</summary>
    private static readonly string Padding = string.Concat(Enumerable.Repeat("int x = 1 + 2 * 3;\n", 8192 / 19));

    private static string Kind(bool expectFinding) => expectFinding ? "example" : "negative example";

    private static string Shorten(string s)
    {
        s = s.Replace("\n", "\\n");
        return s.Length <= 120 ? s : s.Substring(0, 117) + "...";
    }
}
