// BIP39 mnemonics: the English wordlist lookup, the entropy checksum, and splitting a written phrase into words.
namespace SecretScan.Core.Validation;

public static class Bip39
{
    private static readonly Dictionary<string, int> IndexOfWord = BuildIndex();

    private static readonly IReadOnlyList<string> Words = Array.AsReadOnly(Bip39Wordlist.English);

    private static readonly char[] Separators = { ' ', '\t', '\n', '\r', '\f', '\v', ',', '\u00A0' };

    private static readonly char[] Enclosing = { '"', '\'', '`', '[', ']', '(', ')' };

    /// <summary>True when <paramref name="word"/> is in the BIP39 English wordlist (case-insensitive): a cheap pre-check for rules and the analyzer.</summary>
    public static bool IsWord(string word) => word is not null && IndexOfWord.ContainsKey(word);

    /// <summary>The 2048 words of the English list in order; a word's index is the 11-bit value it stands for.</summary>
    public static IReadOnlyList<string> EnglishWords => Words;

    internal static string Word(int index) => Bip39Wordlist.English[index];

    /// <summary>
    /// The words of a phrase as people write it: separated by whitespace, commas or literal "\n" escapes, the whole
    /// phrase or each word possibly quoted (a JSON array of words works too). Returns null past <paramref name="maxWords"/>.
    /// </summary>
    internal static List<string>? SplitWords(string text, int maxWords)
    {
        if (text.IndexOf('\\') >= 0)
        {
            text = text.Replace("\\r", " ").Replace("\\n", " ").Replace("\\t", " ");
        }

        var words = new List<string>(maxWords);
        foreach (var token in text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = token.Trim(Enclosing);
            if (word.Length == 0)
            {
                continue;
            }

            if (words.Count == maxWords)
            {
                return null;
            }

            words.Add(word);
        }

        return words;
    }

    /// <summary>True for 12/15/18/21/24 wordlist words whose last bits are the SHA-256 checksum of the entropy they spell.</summary>
    internal static bool IsValidMnemonic(IReadOnlyList<string> words)
    {
        var count = words.Count;
        if (count < 12 || count > 24 || count % 3 != 0)
        {
            return false;
        }

        // 11 bits a word; of the 11 * count bits, count / 3 are checksum and the rest (a multiple of 32) entropy.
        var bits = new byte[((count * 11) + 7) / 8];
        for (var w = 0; w < count; w++)
        {
            if (!IndexOfWord.TryGetValue(words[w], out var index))
            {
                return false;
            }

            WriteBits(bits, w * 11, index, 11);
        }

        var checksumBits = count / 3;
        var entropyBytes = checksumBits * 4;
        var hash = Digests.Sha256(bits, 0, entropyBytes);
        var expected = hash[0] >> (8 - checksumBits);
        var actual = ReadBits(bits, entropyBytes * 8, checksumBits);
        return expected == actual;
    }

    /// <summary>The mnemonic for 16, 20, 24, 28 or 32 bytes of entropy, as word indexes.</summary>
    internal static int[] IndexesOf(byte[] entropy)
    {
        var checksumBits = entropy.Length / 4;
        var count = (entropy.Length * 8 + checksumBits) / 11;
        var bits = new byte[entropy.Length + 1];
        Array.Copy(entropy, bits, entropy.Length);
        bits[entropy.Length] = Digests.Sha256(entropy, 0, entropy.Length)[0];
        var indexes = new int[count];
        for (var w = 0; w < count; w++)
        {
            indexes[w] = ReadBits(bits, w * 11, 11);
        }

        return indexes;
    }

    private static void WriteBits(byte[] bits, int position, int value, int width)
    {
        for (var i = 0; i < width; i++)
        {
            if (((value >> (width - 1 - i)) & 1) != 0)
            {
                var p = position + i;
                bits[p >> 3] |= (byte)(0x80 >> (p & 7));
            }
        }
    }

    private static int ReadBits(byte[] bits, int position, int width)
    {
        var value = 0;
        for (var i = 0; i < width; i++)
        {
            var p = position + i;
            value = (value << 1) | ((bits[p >> 3] >> (7 - (p & 7))) & 1);
        }

        return value;
    }

    private static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(Bip39Wordlist.English.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Bip39Wordlist.English.Length; i++)
        {
            index.Add(Bip39Wordlist.English[i], i);
        }

        return index;
    }
}
