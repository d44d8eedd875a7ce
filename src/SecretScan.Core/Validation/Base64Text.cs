// Strict, exception-free base64 and base64url decoding for structure checks (JWT segments, PEM bodies).
namespace SecretScan.Core.Validation;

internal static class Base64Text
{
    private static readonly sbyte[] Standard = BuildValues('+', '/');

    private static readonly sbyte[] UrlSafe = BuildValues('-', '_');

    /// <summary>
    /// Decodes base64 (or base64url when <paramref name="urlSafe"/>) with or without '=' padding; null when a char
    /// is outside the alphabet, padding is misplaced, or the length leaves a dangling char.
    /// </summary>
    public static byte[]? Decode(string text, bool urlSafe) => Decode(text, 0, text.Length, urlSafe);

    public static byte[]? Decode(string text, int start, int count, bool urlSafe)
    {
        var values = urlSafe ? UrlSafe : Standard;
        var end = start + count;
        var padding = 0;
        while (end > start && text[end - 1] == '=' && padding < 2)
        {
            end--;
            padding++;
        }

        var digits = end - start;
        if (digits % 4 == 1 || (padding > 0 && (digits + padding) % 4 != 0))
        {
            return null;
        }

        var result = new byte[(digits * 3) / 4];
        var acc = 0;
        var bits = 0;
        var o = 0;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c >= 128 || values[c] < 0)
            {
                return null;
            }

            acc = (acc << 6) | (byte)values[c];
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                result[o++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }

        return result;
    }

    private static sbyte[] BuildValues(char c62, char c63)
    {
        var values = new sbyte[128];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = -1;
        }

        const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (var i = 0; i < Letters.Length; i++)
        {
            values[Letters[i]] = (sbyte)i;
        }

        values[c62] = 62;
        values[c63] = 63;
        return values;
    }
}
