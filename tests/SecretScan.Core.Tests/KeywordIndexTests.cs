// The keyword prefilter: its fast trigram pass must mark exactly what the general SearchValues pass marks.
using SecretScan.Core.Generated;

namespace SecretScan.Core.Tests;

public class KeywordIndexTests
{
    private static readonly IReadOnlyList<string>[] RuleKeywords = BuiltInRules.All.Select(r => (IReadOnlyList<string>)r.Keywords).ToArray();
    private static readonly int[] RuleWindows = BuiltInRules.All.Select(r => r.KeywordWindow).ToArray();

    [Fact]
    public void Finds_keywords_in_any_ascii_case_at_their_start()
    {
        var index = new KeywordIndex(new IReadOnlyList<string>[] { new[] { "secret" }, new[] { "ghp_" }, Array.Empty<string>() }, new[] { 10, 0, 0 });
        var active = new bool[3];
        var windows = new KeywordWindows(3);

        Assert.Equal(1, index.FindCandidates("no keyword here", active, windows));
        Assert.Equal(new[] { false, false, true }, active);

        Assert.Equal(3, index.FindCandidates("x = SeCrEt; y = GHP_", active, windows));
        Assert.Equal(new[] { true, true, true }, active);
        var (starts, ends) = windows.Of(0)!.Value;
        Assert.Equal(new[] { Math.Max(0, 4 - Rule.KeywordWindowBefore) }, starts);
        Assert.Equal(new[] { 4 + 6 + 10 }, ends);

        // A keyword cut by the end of the text, or spread over non-ASCII look-alikes, is not there.
        Assert.Equal(1, index.FindCandidates("secre", active, windows));
        Assert.Equal(1, index.FindCandidates("se\u0441ret gh\u0440_", active, windows));
    }

    [Fact]
    public void Trigram_pass_marks_the_same_rules_and_windows_as_the_general_pass()
    {
        // One keyword of two characters sends an index down the general (SearchValues) path: the reference.
        var fast = new KeywordIndex(RuleKeywords, RuleWindows);
        var general = new KeywordIndex(RuleKeywords.Append(new[] { "zq" }).ToArray(), RuleWindows.Append(0).ToArray());
        var keywords = RuleKeywords.SelectMany(k => k).Distinct().ToArray();
        var rng = new Random(11);
        var a1 = new bool[fast.RuleCount];
        var a2 = new bool[general.RuleCount];
        var w1 = new KeywordWindows(fast.RuleCount);
        var w2 = new KeywordWindows(general.RuleCount);
        for (var n = 0; n < 400; n++)
        {
            var text = new System.Text.StringBuilder();
            for (var part = 0; part < 12; part++)
            {
                var k = keywords[rng.Next(keywords.Length)];
                text.Append(rng.Next(3) switch
                {
                    0 => k.ToUpperInvariant(),
                    1 => k.Substring(0, Math.Max(1, k.Length - 1)),
                    _ => new string(k.Select(c => rng.Next(2) == 0 ? char.ToUpperInvariant(c) : c).ToArray()),
                });
                text.Append((char)rng.Next(0x20, 0x3000)).Append(' ', rng.Next(0, 30));
            }

            var t = text.ToString();
            general.FindCandidates(t, a2, w2);
            fast.FindCandidates(t, a1, w1);
            for (var r = 0; r < fast.RuleCount; r++)
            {
                Assert.Equal(a2[r], a1[r]);
                var x = w1.Of(r);
                var y = w2.Of(r);
                Assert.Equal(y?.Starts, x?.Starts);
                Assert.Equal(y?.Ends, x?.Ends);
            }
        }
    }
}
