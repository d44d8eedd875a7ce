// How a secret is named without being shown: redaction for people, hashes for baselines, fingerprints for alerts.
// Changing any of these breaks users' baselines: the computation is written down in README.md ("Fingerprints").
using System.Security.Cryptography;
using System.Text;

namespace SecretScan.Core;

public static class SecretIdentity
{
    /// <summary>SHA-256 over "secretscan:secret:v1\0" + the secret (UTF-8), lowercase hex.</summary>
    public static string HashSecret(string secret) => Sha256Hex("secretscan:secret:v1\0" + secret);

    /// <summary>
    /// SHA-256 over "secretscan:fingerprint:v1\0" + rule id + "\0" + secret hash + "\0" + path, first 32 hex digits.
    /// No line number and no commit, so it survives edits above the line, rebases and squashes.
    /// </summary>
    public static string Fingerprint(string ruleId, string secretHash, string path) =>
        Sha256Hex("secretscan:fingerprint:v1\0" + ruleId + "\0" + secretHash + "\0" + NormalizePath(path)).Substring(0, 32);

    /// <summary>Shows at most a quarter of the secret, and never more than 4 characters, then a fixed mask.</summary>
    public static string Redact(string secret)
    {
        var shown = Math.Min(4, secret.Length / 4);
        return secret.Substring(0, shown) + "*****";
    }

    public static string NormalizePath(string path) => path.Replace('\\', '/');

    private static string Sha256Hex(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var sb = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
