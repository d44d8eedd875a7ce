// base58check: any Base58Check string, whatever its version byte (addresses, keys, other coins' formats).
namespace SecretScan.Core.Validation;

internal sealed class Base58CheckValidator : ISecretValidator
{
    public string Id => "base58check";

    public bool IsValid(string secret) => Base58.DecodeCheck(secret) is not null;
}
