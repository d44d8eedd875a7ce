// npm-crc32: npm access tokens (npm_) use GitHub's scheme, a CRC-32 of the random part in the last 6 chars.
namespace SecretScan.Core.Validation;

internal sealed class NpmTokenValidator : ISecretValidator
{
    public const string Prefix = "npm_";

    public string Id => "npm-crc32";

    public bool IsValid(string secret) => Base62Checksum.IsValid(secret, Prefix);
}
