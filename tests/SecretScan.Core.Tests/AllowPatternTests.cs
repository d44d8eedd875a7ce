// Allow patterns that compile themselves once hot: same answers before and after, and never when compiling is off.
using SecretScan.Core;

namespace SecretScan.Core.Tests;

public class AllowPatternTests
{
    private const string NameWords = @"(?i)^[\w.\-]{0,80}?(?:hash|digest|salt|path|_name\b|(?<![a-z])search)[\w.\-]{0,40}?(?:[:""'`|>,{ \t]|=(?!=*$))";

    [Fact]
    public void Compiles_itself_once_its_budget_is_spent_and_answers_the_same()
    {
        var rng = new Random(5);
        var inputs = Enumerable.Range(0, 200).Select(i => RandomName(rng, i) + (i % 3 == 0 ? " = " : "") + RandomValue(rng)).ToArray();
        var reference = new System.Text.RegularExpressions.Regex(NameWords);
        var pattern = new AllowPattern(NameWords, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        Assert.False(pattern.IsCompiled);

        var before = inputs.Select(s => pattern.IsMatch(s)).ToArray();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!pattern.IsCompiled && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            pattern.IsMatch(inputs[0]);
            Thread.Sleep(10);
        }

        Assert.True(pattern.IsCompiled);
        Assert.Equal(inputs.Select(s => reference.IsMatch(s)), before);
        Assert.Equal(before, inputs.Select(s => pattern.IsMatch(s)));
        Assert.Contains(true, before);
        Assert.Contains(false, before);
    }

    [Fact]
    public void Stays_interpreted_when_compiling_is_off_or_the_budget_is_not_spent()
    {
        var off = new AllowPattern(NameWords, TimeSpan.FromSeconds(1), null);
        var unspent = new AllowPattern(NameWords, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        for (var i = 0; i < 1000; i++)
        {
            off.IsMatch("api_key_hash = 1");
            unspent.IsMatch("api_key_hash = 1");
        }

        Thread.Sleep(100);
        Assert.False(off.IsCompiled);
        Assert.False(unspent.IsCompiled);
    }

    [Fact]
    public void A_scan_reports_the_same_findings_whether_allow_patterns_compile_at_once_or_never()
    {
        var rule = new Rule
        {
            Id = "T0100",
            Name = "test-allow",
            Title = "Allow patterns",
            Keywords = new[] { "secret" },
            Pattern = @"(?i)secret" + PatternMacros.Assign + @"([A-Za-z0-9_]{12,})" + PatternMacros.End,
            SecretGroup = 1,
            Allow = new Allowlist { Patterns = new[] { NameWords, "^[a-z]+$", "7$" } },
        };
        var rng = new Random(9);
        var text = string.Join("\n", Enumerable.Range(0, 300).Select(i => $"{RandomName(rng, i)}_secret = {RandomValue(rng)}"));
        var never = new Scanner(RuleSet.Create(new[] { rule }, new RuleSetOptions { CompileRegexes = false }));
        var atOnce = new Scanner(RuleSet.Create(new[] { rule }, new RuleSetOptions { CompileAllowPatternsAfter = TimeSpan.Zero }));
        var expected = never.Scan(new TextFragment(text, "a.env")).Findings.Select(f => (f.Line, f.Secret)).ToArray();
        Assert.NotEmpty(expected);
        for (var round = 0; round < 20; round++)
        {
            Assert.Equal(expected, atOnce.Scan(new TextFragment(text, "a.env")).Findings.Select(f => (f.Line, f.Secret)));
            Thread.Sleep(20);
        }
    }

    private static string RandomName(Random rng, int i) =>
        new[] { "api", "db", "client", "hash", "salt", "app_path", "my_name.", "research", "search", "x" }[rng.Next(10)] + (i % 2 == 0 ? "_key" : "Token");

    private static string RandomValue(Random rng)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return new string(Enumerable.Range(0, 12 + rng.Next(20)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
    }
}
