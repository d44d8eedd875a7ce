// bitcoin-wif: a Wallet Import Format private key, mainnet or testnet, compressed or not, with a usable scalar.
namespace SecretScan.Core.Validation;

internal sealed class BitcoinWifValidator : ISecretValidator
{
    public const byte MainnetVersion = 0x80;

    public const byte TestnetVersion = 0xEF;

    /// <summary>The byte after the key that marks a WIF for a compressed public key.</summary>
    public const byte CompressedMarker = 0x01;

    public string Id => "bitcoin-wif";

    public bool IsValid(string secret)
    {
        // Uncompressed WIFs are 51 chars and compressed 52; the bound only spares decoding of far longer text.
        if (secret.Length < 50 || secret.Length > 53)
        {
            return false;
        }

        var payload = Base58.DecodeCheck(secret);
        if (payload is null || (payload[0] != MainnetVersion && payload[0] != TestnetVersion))
        {
            return false;
        }

        var keyLength = payload.Length - 1;
        var shapeOk = keyLength == Secp256k1.ScalarLength ||
            (keyLength == Secp256k1.ScalarLength + 1 && payload[payload.Length - 1] == CompressedMarker);
        return shapeOk && Secp256k1.IsValidPrivateKey(payload, 1);
    }
}
