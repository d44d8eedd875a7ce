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

    // A word of at most 8 letters a-z packed 5 bits a letter: allocation-free set membership on every target framework.
    private static readonly HashSet<ulong> Codes = new(Bip39.EnglishWords.Select(w => Encode(w, 0, w.Length)));

    public string Id => "bip39-words";

    public void FindWindows(string text, List<int> starts, List<int> ends)
    {
        int runStart = -1, runEnd = -1, runWords = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 'a' || c > 'z')
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && text[i] >= 'a' && text[i] <= 'z')
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
