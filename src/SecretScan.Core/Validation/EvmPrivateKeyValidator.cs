// evm-private-key: an Ethereum/EVM private key, 64 hex digits with optional 0x, whose value is a usable secp256k1 scalar.
namespace SecretScan.Core.Validation;

internal sealed class EvmPrivateKeyValidator : ISecretValidator
{
    public string Id => "evm-private-key";

    public bool IsValid(string secret)
    {
        var start = secret.Length == 66 && secret[0] == '0' && (secret[1] == 'x' || secret[1] == 'X') ? 2 : 0;
        if (secret.Length - start != Secp256k1.ScalarLength * 2)
        {
            return false;
        }

        var key = new byte[Secp256k1.ScalarLength];
        for (var i = 0; i < key.Length; i++)
        {
            var high = HexValue(secret[start + (2 * i)]);
            var low = HexValue(secret[start + (2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            key[i] = (byte)((high << 4) | low);
        }

        return Secp256k1.IsValidPrivateKey(key, 0);
    }

    private static int HexValue(char c) =>
        c >= '0' && c <= '9' ? c - '0' :
        c >= 'a' && c <= 'f' ? c - 'a' + 10 :
        c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
