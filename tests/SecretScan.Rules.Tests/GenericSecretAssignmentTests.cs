// SS1904 keeps its not-a-secret name words twice (a readable allow pattern, a lookbehind grouped for speed): same words.
using SecretScan.Core;
using SecretScan.Core.Generated;

namespace SecretScan.Rules.Tests;

public class GenericSecretAssignmentTests
{
    private static readonly Rule Rule = BuiltInRules.All.Single(r => r.Id == "SS1904");

    [Fact]
    public void Every_not_a_secret_word_of_the_allow_pattern_also_stops_the_regex_before_the_keyword()
    {
        // The allow pattern sees the match, which starts at the keyword; only the lookbehind sees the name before it.
        // So `{word}.token = value` is kept out by the lookbehind alone, and a neutral word in its place is found.
        var allow = Rule.Allow.Patterns[0];
        var words = allow.Substring(allow.IndexOf("(?:", StringComparison.Ordinal) + 3);
        words = words.Substring(0, words.IndexOf(")[", StringComparison.Ordinal));
        var scanner = new Scanner(RuleSet.Create(new[] { Rule }, new RuleSetOptions { CompileRegexes = false }));
        var rng = new Random(3);
        var checkedWords = 0;
        foreach (var word in words.Split('|'))
        {
            var literal = word.Replace("(?<![a-z])", "").Replace(@"\b", "").Replace("_?", "_");
            Assert.Matches("^[a-z_]+$", literal);
            var value = RandomValue(rng);
            Assert.Empty(scanner.Scan(new TextFragment($"X_{literal}.token = \"{value}\"\n", "a.py")).Findings);
            Assert.Single(scanner.Scan(new TextFragment($"X_client.token = \"{value}\"\n", "a.py")).Findings);
            checkedWords++;
        }

        Assert.True(checkedWords > 60, $"only {checkedWords} words parsed from the allow pattern");
    }

    private static string RandomValue(Random rng)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return new string(Enumerable.Range(0, 30).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray()) + "7q";
    }
}
