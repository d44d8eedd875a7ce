// Candidate finders: code that stands in for keywords in a keyword-less rule (its `candidates:` field), naming the
// few places its regex can match, so the regex need not run over every byte.
namespace SecretScan.Core.Validation;

/// <summary>Finds the spans of a text where a rule's secret can be; the engine runs the rule's regex only there.</summary>
public interface ICandidateFinder
{
    string Id { get; }

    /// <summary>Appends [start, end) spans, in order and not overlapping, each already padded for the regex's context.</summary>
    void FindWindows(string text, List<int> starts, List<int> ends);
}

/// <summary>The registry of candidate finders, like <see cref="Validators"/> for `checksum:`.</summary>
public static class CandidateFinders
{
    private static readonly Dictionary<string, ICandidateFinder> ById = new ICandidateFinder[]
    {
        new Bip39WordRuns(),
    }.ToDictionary(f => f.Id, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Ids => ById.Keys.OrderBy(k => k, StringComparer.Ordinal);

    public static ICandidateFinder? Find(string id) => ById.TryGetValue(id, out var f) ? f : null;
}

/// <summary>
/// `bip39-words`: runs of 12 or more lowercase BIP39 wordlist words separated by single spaces. A valid phrase is such
/// a run, and prose almost never is (its words are mostly not in the list), so one linear pass over the text replaces
/// a regex over all of it. Each span is padded by 64 characters for the delimiters and look-arounds of the regex.
/// </summary>
internal sealed class Bip39WordRuns : ICandidateFinder
{
    private const int MinWords = 12;
    private const int Pad = 64;

    /// <summary>The shortest run: 12 three-letter words and the 11 spaces between them.</summary>
    private const int MinRunChars = (MinWords * 4) - 1;

#if NET8_0_OR_GREATER
    private static readonly System.Buffers.SearchValues<char> LowerOrSpace = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz ");
#endif

    // A word of at most 8 letters a-z packed 5 bits a letter: allocation-free set membership on every target framework.
    private static readonly HashSet<ulong> Codes = new(Bip39.EnglishWords.Select(w => Encode(w, 0, w.Length)));

    public string Id => "bip39-words";

    public void FindWindows(string text, List<int> starts, List<int> ends)
    {
#if NET8_0_OR_GREATER
        // A run of 12 words lies inside a stretch of at least 47 characters that are all a-z or space, and such a
        // stretch covers every 47th position: probe those, and only around a probe that is a-z or space look for the
        // stretch's ends (vectorized). The word-by-word walk (a set lookup per lowercase word) then runs only on the
        // rare long stretches. Same windows as walking everything; curl's 18 MB: 69 ms -> 16 ms.
        var span = text.AsSpan();
        var pos = 0; // invariant: the character before pos is not a-z or space
        while (pos + MinRunChars <= span.Length)
        {
            var probe = pos + MinRunChars - 1;
            var c = span[probe];
            if (c != ' ' && (c < 'a' || c > 'z'))
            {
                pos = probe + 1;
                continue;
            }

            var back = span.Slice(pos, probe - pos).LastIndexOfAnyExcept(LowerOrSpace);
            var from = back < 0 ? pos : pos + back + 1;
            var forward = span.Slice(probe).IndexOfAnyExcept(LowerOrSpace);
            var to = forward < 0 ? span.Length : probe + forward;
            if (to - from >= MinRunChars)
            {
                FindRuns(text, from, to, starts, ends);
            }

            pos = to + 1;
        }
#else
        FindRuns(text, 0, text.Length, starts, ends);
#endif
    }

    /// <summary>The runs within [<paramref name="from"/>, <paramref name="to"/>); no run crosses a character outside a-z and space.</summary>
    private static void FindRuns(string text, int from, int to, List<int> starts, List<int> ends)
    {
        int runStart = -1, runEnd = -1, runWords = 0;
        var i = from;
        while (i < to)
        {
            var c = text[i];
            if (c < 'a' || c > 'z')
            {
                i++;
                continue;
            }

            var start = i;
            while (i < to && text[i] >= 'a' && text[i] <= 'z')
            {
                i++;
            }

            var length = i - start;
            var isWord = length is >= 3 and <= 8
                         && (start == 0 || !IsAsciiLetterOrDigit(text[start - 1]))
                         && (i == text.Length || !IsAsciiLetterOrDigit(text[i]))
                         && Codes.Contains(Encode(text, start, length));
            if (!isWord)
            {
                Flush(text.Length, runStart, runEnd, runWords, starts, ends);
                runWords = 0;
                continue;
            }

            if (runWords > 0 && start == runEnd + 1 && text[runEnd] == ' ')
            {
                runWords++;
                runEnd = i;
            }
            else
            {
                Flush(text.Length, runStart, runEnd, runWords, starts, ends);
                runStart = start;
                runEnd = i;
                runWords = 1;
            }
        }

        Flush(text.Length, runStart, runEnd, runWords, starts, ends);
    }

    private static void Flush(int textLength, int runStart, int runEnd, int runWords, List<int> starts, List<int> ends)
    {
        if (runWords < MinWords)
        {
            return;
        }

        var from = Math.Max(0, runStart - Pad);
        var to = Math.Min(textLength, runEnd + Pad);
        if (starts.Count > 0 && from <= ends[ends.Count - 1])
        {
            ends[ends.Count - 1] = Math.Max(ends[ends.Count - 1], to);
        }
        else
        {
            starts.Add(from);
            ends.Add(to);
        }
    }

    private static bool IsAsciiLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static ulong Encode(string text, int start, int length)
    {
        ulong code = 0;
        for (var k = 0; k < length; k++)
        {
            code = (code << 5) | (uint)(text[start + k] - 'a' + 1);
        }

        return code;
    }
}
