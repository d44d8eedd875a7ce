// bip32-xprv: a BIP32 extended private key (xprv, tprv and the SLIP-132 y/z/u/v/Y/Z/U/V variants); public ones fail.
namespace SecretScan.Core.Validation;

internal sealed class Bip32PrivateKeyValidator : ISecretValidator
{
    /// <summary>version(4) depth(1) parent fingerprint(4) child number(4) chain code(32) key data(33).</summary>
    public const int PayloadLength = 78;

    public const int KeyDataOffset = 45;

    // Private-key version bytes: BIP32 (xprv, tprv), BIP49 (yprv, uprv), BIP84 (zprv, vprv), SLIP-132 multisig (Y/Z/U/Vprv).
    private static readonly uint[] PrivateVersions =
    {
        0x0488ADE4, 0x04358394, 0x049D7878, 0x04B2430C, 0x044A4E28, 0x045F18BC, 0x0295B005, 0x02AA7A99, 0x024285B5, 0x02575048,
    };

    public string Id => "bip32-xprv";

    public bool IsValid(string secret)
    {
        // 82 bytes always encode to 111 or 112 chars; the bound only spares decoding of other text.
        if (secret.Length < 100 || secret.Length > 115)
        {
            return false;
        }

        var payload = Base58.DecodeCheck(secret);
        if (payload is null || payload.Length != PayloadLength)
        {
            return false;
        }

        var version = ((uint)payload[0] << 24) | ((uint)payload[1] << 16) | ((uint)payload[2] << 8) | payload[3];
        return Array.IndexOf(PrivateVersions, version) >= 0 &&
            payload[KeyDataOffset] == 0x00 &&
            Secp256k1.IsValidPrivateKey(payload, KeyDataOffset + 1);
    }
}
