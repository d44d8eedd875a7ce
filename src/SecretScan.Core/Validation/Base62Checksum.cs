// The GitHub/npm token scheme: prefix, 30 random base62 chars, then CRC-32 of those 30 chars as 6 base62 digits.
// The prefix is not part of the CRC input; the alphabet is 0-9A-Za-z and the checksum is left-padded with '0'
// (github.blog 2021-04-05 "Behind GitHub's new authentication token formats"; npm's 2021-09 token format uses the same).
namespace SecretScan.Core.Validation;

internal static class Base62Checksum
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public const int BodyLength = 30;

    public const int ChecksumLength = 6;

    /// <summary>True when <paramref name="token"/> is exactly prefix + 30 base62 chars + their matching 6-char checksum.</summary>
    public static bool IsValid(string token, string prefix)
    {
        if (token.Length != prefix.Length + BodyLength + ChecksumLength || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = prefix.Length; i < token.Length; i++)
        {
            if (!IsBase62(token[i]))
            {
                return false;
            }
        }

        var expected = Encode(Crc32.OfAscii(token, prefix.Length, BodyLength));
        return string.CompareOrdinal(token, prefix.Length + BodyLength, expected, 0, ChecksumLength) == 0;
    }

    /// <summary>The 6-char checksum that completes a 30-char body.</summary>
    public static string ChecksumOf(string body) => Encode(Crc32.OfAscii(body, 0, body.Length));

    private static string Encode(uint value)
    {
        var digits = new char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            digits[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return new string(digits);
    }

    private static bool IsBase62(char c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
