// Turns the bytes git stores as a path into a string that is stable and unambiguous, even when they are not UTF-8.
using System.Text;

namespace SecretScan.Git;

internal static class GitPath
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// UTF-8 paths come back as they are. Bytes that are not UTF-8 (a Latin-1 name committed years ago) are written as
    /// git's own octal escapes (<c>caf\351.txt</c>), so two different paths never collapse into one and fingerprints are stable.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Escape(bytes);
        }
    }

    private static string Escape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 8);
        var i = 0;
        while (i < bytes.Length)
        {
            var length = Utf8SequenceLength(bytes[i..]);
            if (length > 0)
            {
                sb.Append(StrictUtf8.GetString(bytes.Slice(i, length)));
                i += length;
            }
            else
            {
                sb.Append('\\').Append((char)('0' + (bytes[i] >> 6))).Append((char)('0' + ((bytes[i] >> 3) & 7))).Append((char)('0' + (bytes[i] & 7)));
                i++;
            }
        }

        return sb.ToString();
    }

    /// <summary>Length of the valid UTF-8 sequence at the start of <paramref name="s"/>, or 0 when it is not one.</summary>
    private static int Utf8SequenceLength(ReadOnlySpan<byte> s)
    {
        var b = s[0];
        var length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
        if (length == 0 || length > s.Length)
        {
            return 0;
        }

        try
        {
            StrictUtf8.GetCharCount(s[..length]);
            return length;
        }
        catch (DecoderFallbackException)
        {
            return 0;
        }
    }
}
