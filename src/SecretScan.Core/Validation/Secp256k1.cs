// The secp256k1 facts key validators need: the group order n (a private key is a scalar in [1, n-1]) and the curve equation.
using System.Numerics;

namespace SecretScan.Core.Validation;

internal static class Secp256k1
{
    /// <summary>The order n of the secp256k1 base point (SEC 2, section 2.4.1), big-endian hex.</summary>
    public const string OrderHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";

    /// <summary>The field prime p = 2^256 - 2^32 - 977, big-endian hex.</summary>
    public const string PrimeHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F";

    public const int ScalarLength = 32;

    private static readonly byte[] Order = FromHex(OrderHex);

    private static readonly BigInteger Prime = new(FromHex(PrimeHex).Reverse().Concat(new byte[] { 0 }).ToArray());

    /// <summary>True when the 32 big-endian bytes at <paramref name="offset"/> are a scalar in [1, n-1].</summary>
    public static bool IsValidPrivateKey(byte[] key, int offset)
    {
        if (offset < 0 || key.Length - offset < ScalarLength)
        {
            return false;
        }

        var nonZero = false;
        for (var i = 0; i < ScalarLength; i++)
        {
            nonZero |= key[offset + i] != 0;
        }

        if (!nonZero)
        {
            return false;
        }

        for (var i = 0; i < ScalarLength; i++)
        {
            if (key[offset + i] != Order[i])
            {
                return key[offset + i] < Order[i];
            }
        }

        return false; // exactly n
    }

    /// <summary>True when the big-endian x coordinate has a point on y^2 = x^3 + 7 (so 02/03 + x is a valid public key).</summary>
    public static bool HasPointWithX(byte[] x, int offset)
    {
        var bigEndian = new byte[ScalarLength];
        Array.Copy(x, offset, bigEndian, 0, ScalarLength);
        var value = new BigInteger(bigEndian.Reverse().Concat(new byte[] { 0 }).ToArray());
        if (value >= Prime)
        {
            return false;
        }

        var rhs = (BigInteger.ModPow(value, 3, Prime) + 7) % Prime;

        // p = 3 (mod 4), so a square root, when one exists, is rhs^((p + 1) / 4).
        var y = BigInteger.ModPow(rhs, (Prime + 1) / 4, Prime);
        return y * y % Prime == rhs;
    }

    private static byte[] FromHex(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Convert.ToByte(hex.Substring(i * 2, 2), 16);
        }

        return bytes;
    }
}
