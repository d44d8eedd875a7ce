// A checksum or structure check that tells a real credential from a lookalike of the same shape.
namespace SecretScan.Core.Validation;

public interface ISecretValidator
{
    /// <summary>The id rules use in their `checksum:` field, e.g. "github-crc32".</summary>
    string Id { get; }

    /// <summary>True when the secret has the format's valid checksum or structure.</summary>
    bool IsValid(string secret);
}
