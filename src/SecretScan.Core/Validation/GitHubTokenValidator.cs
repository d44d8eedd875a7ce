// github-crc32: GitHub's ghp_/gho_/ghu_/ghs_/ghr_ tokens carry a CRC-32 of their random part in the last 6 chars.
namespace SecretScan.Core.Validation;

/// <remarks>Fine-grained `github_pat_` tokens have no published checksum scheme and do not pass this validator.</remarks>
internal sealed class GitHubTokenValidator : ISecretValidator
{
    public static readonly string[] Prefixes = { "ghp_", "gho_", "ghu_", "ghs_", "ghr_" };

    public string Id => "github-crc32";

    public bool IsValid(string secret)
    {
        foreach (var prefix in Prefixes)
        {
            if (secret.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Base62Checksum.IsValid(secret, prefix);
            }
        }

        return false;
    }
}
