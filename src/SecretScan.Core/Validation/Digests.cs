// SHA-256 over byte ranges on both targets: the hash behind Base58Check and BIP39 checksums.
using System.Security.Cryptography;

namespace SecretScan.Core.Validation;

internal static class Digests
{
    public static byte[] Sha256(byte[] data, int offset, int count)
    {
#if NET
        return SHA256.HashData(data.AsSpan(offset, count));
#else
        using var sha = SHA256.Create();
        return sha.ComputeHash(data, offset, count);
#endif
    }

    /// <summary>SHA-256 of SHA-256, as Bitcoin uses for Base58Check checksums.</summary>
    public static byte[] DoubleSha256(byte[] data, int offset, int count)
    {
        var first = Sha256(data, offset, count);
        return Sha256(first, 0, first.Length);
    }
}
