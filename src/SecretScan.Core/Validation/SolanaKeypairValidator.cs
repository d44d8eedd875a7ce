// solana-keypair: a 64-byte Solana keypair (secret key then public key), as Base58 text or as a JSON array of bytes.
namespace SecretScan.Core.Validation;

internal sealed class SolanaKeypairValidator : ISecretValidator
{
    public const int KeypairLength = 64;

    // 64 bytes take 86 to 88 Base58 chars; 64 numbers of up to 3 digits with generous whitespace stay far below this.
    private const int MaxTextLength = 4096;

    public string Id => "solana-keypair";

    public bool IsValid(string secret)
    {
        if (secret.Length > MaxTextLength)
        {
            return false;
        }

        var text = secret.Trim();
        var bytes = text.StartsWith("[", StringComparison.Ordinal) ? ParseByteArray(text) : (text.Length <= 90 ? Base58.Decode(text) : null);
        return bytes is not null && bytes.Length == KeypairLength && !AllEqual(bytes);
    }

    /// <summary>The bytes of `[n, n, ...]` (decimal 0-255, commas, any whitespace), or null when it is anything else.</summary>
    private static byte[]? ParseByteArray(string text)
    {
        if (text[text.Length - 1] != ']')
        {
            return null;
        }

        var bytes = new List<byte>(KeypairLength);
        var i = 1;
        var end = text.Length - 1;
        while (true)
        {
            i = SkipWhitespace(text, i, end);
            var value = 0;
            var digits = 0;
            while (i < end && text[i] >= '0' && text[i] <= '9' && digits <= 3)
            {
                value = (value * 10) + (text[i] - '0');
                digits++;
                i++;
            }

            if (digits == 0 || digits > 3 || value > 255 || bytes.Count == KeypairLength)
            {
                return null;
            }

            bytes.Add((byte)value);
            i = SkipWhitespace(text, i, end);
            if (i == end)
            {
                return bytes.ToArray();
            }

            if (text[i] != ',')
            {
                return null;
            }

            i++;
        }
    }

    private static int SkipWhitespace(string text, int i, int end)
    {
        while (i < end && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool AllEqual(byte[] bytes)
    {
        for (var i = 1; i < bytes.Length; i++)
        {
            if (bytes[i] != bytes[0])
            {
                return false;
            }
        }

        return true;
    }
}
