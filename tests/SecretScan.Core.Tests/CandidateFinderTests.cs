// bip39-words probes every 47th character for a long a-z-or-space stretch: a phrase must be found wherever it sits.
using SecretScan.Core.Validation;

namespace SecretScan.Core.Tests;

public class CandidateFinderTests
{
    private static readonly ICandidateFinder Finder = CandidateFinders.Find("bip39-words")!;

    [Fact]
    public void The_shortest_phrase_is_found_at_every_offset_and_in_every_surrounding()
    {
        // 12 three-letter wordlist words: 47 characters, exactly the stretch the probe looks for.
        var three = Bip39.EnglishWords.Where(w => w.Length == 3).ToArray();
        var rng = new Random(2);
        var fillers = new[] { "X", "1", "\n", ".", " ", "a", "Q z", "foo(", "é" };
        for (var offset = 0; offset < 120; offset++)
        {
            var phrase = string.Join(" ", Enumerable.Range(0, 12).Select(_ => three[rng.Next(three.Length)]));
            Assert.Equal(47, phrase.Length);
            var before = new System.Text.StringBuilder();
            while (before.Length < offset)
            {
                before.Append(fillers[rng.Next(fillers.Length)]);
            }

            var prefix = before.ToString(0, offset) + (offset > 0 ? "\n" : "");
            var suffix = new[] { "", "\n", ".", " end.", "\"" }[offset % 5];
            var text = prefix + phrase + suffix;
            var starts = new List<int>();
            var ends = new List<int>();
            Finder.FindWindows(text, starts, ends);

            var at = prefix.Length;
            Assert.True(
                starts.Zip(ends).Any(w => w.First <= at && w.Second >= at + phrase.Length),
                $"offset {offset}: no window covers the phrase in {text.Replace("\n", "\\n")}");
        }
    }

    [Fact]
    public void Eleven_words_or_a_broken_run_give_no_window()
    {
        var words = Bip39.EnglishWords.Take(24).ToArray();
        foreach (var text in new[]
        {
            string.Join(" ", words.Take(11)),
            string.Join(" ", words.Take(6)) + ", " + string.Join(" ", words.Skip(6).Take(6)),
            string.Join(" ", words.Take(6)) + " notaword " + string.Join(" ", words.Skip(6).Take(6)),
            string.Join("  ", words.Take(12)),
        })
        {
            var starts = new List<int>();
            Finder.FindWindows(text, starts, new List<int>());
            Assert.Empty(starts);
        }
    }
}
