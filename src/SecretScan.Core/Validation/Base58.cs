// Base58 (Bitcoin alphabet) and Base58Check: the text form of WIF keys, BIP32 extended keys and Solana keys.
namespace SecretScan.Core.Validation;

internal static class Base58
{
    public const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    // Decoding is quadratic in the length; the longest value a validator needs is a 111-char extended key, so
    // anything far longer is not one of ours and is refused before it can cost time.
    public const int MaxTextLength = 512;

    private const int ChecksumLength = 4;

    private static readonly sbyte[] Values = BuildValues();

    /// <summary>The bytes <paramref name="text"/> encodes, or null when it is empty, too long or has a char outside the alphabet.</summary>
    public static byte[]? Decode(string text)
    {
        if (text.Length == 0 || text.Length > MaxTextLength)
        {
            return null;
        }

        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }

        // log(58) / log(256) is about 0.733: bytes needed for the remaining digits, rounded up.
        var size = ((text.Length - zeros) * 733 / 1000) + 1;
        var b256 = new byte[size];
        var length = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 128 || Values[c] < 0)
            {
                return null;
            }

            int carry = Values[c];
            var k = 0;
            for (var j = size - 1; (carry != 0 || k < length) && j >= 0; j--, k++)
            {
                carry += 58 * b256[j];
                b256[j] = (byte)carry;
                carry >>= 8;
            }

            length = k;
        }

        var start = size - length;
        while (start < size && b256[start] == 0)
        {
            start++;
        }

        var result = new byte[zeros + size - start];
        Array.Copy(b256, start, result, zeros, size - start);
        return result;
    }

    public static string Encode(byte[] data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        // log(256) / log(58) is about 1.38: digits needed for the remaining bytes, rounded up.
        var size = ((data.Length - zeros) * 138 / 100) + 1;
        var b58 = new byte[size];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            var k = 0;
            for (var j = size - 1; (carry != 0 || k < length) && j >= 0; j--, k++)
            {
                carry += 256 * b58[j];
                b58[j] = (byte)(carry % 58);
                carry /= 58;
            }

            length = k;
        }

        var start = size - length;
        while (start < size && b58[start] == 0)
        {
            start++;
        }

        var chars = new char[zeros + size - start];
        for (var i = 0; i < zeros; i++)
        {
            chars[i] = '1';
        }

        for (var i = start; i < size; i++)
        {
            chars[zeros + i - start] = Alphabet[b58[i]];
        }

        return new string(chars);
    }

    /// <summary>The payload of a Base58Check string (its last 4 bytes are the first 4 of SHA256(SHA256(payload))), or null.</summary>
    public static byte[]? DecodeCheck(string text)
    {
        var data = Decode(text);
        if (data is null || data.Length <= ChecksumLength)
        {
            return null;
        }

        var payloadLength = data.Length - ChecksumLength;
        var hash = Digests.DoubleSha256(data, 0, payloadLength);
        for (var i = 0; i < ChecksumLength; i++)
        {
            if (hash[i] != data[payloadLength + i])
            {
                return null;
            }
        }

        var payload = new byte[payloadLength];
        Array.Copy(data, payload, payloadLength);
        return payload;
    }

    public static string EncodeCheck(byte[] payload)
    {
        var hash = Digests.DoubleSha256(payload, 0, payload.Length);
        var data = new byte[payload.Length + ChecksumLength];
        Array.Copy(payload, data, payload.Length);
        Array.Copy(hash, 0, data, payload.Length, ChecksumLength);
        return Encode(data);
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = -1;
        }

        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
