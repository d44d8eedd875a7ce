// The registry of checksum and structure validators that rules name in their `checksum:` field.
namespace SecretScan.Core.Validation;

public static class Validators
{
    private static readonly Dictionary<string, ISecretValidator> ById = new ISecretValidator[]
    {
        new GitHubTokenValidator(),
        new NpmTokenValidator(),
        new Base58CheckValidator(),
        new BitcoinWifValidator(),
        new Bip32PrivateKeyValidator(),
        new Bip39MnemonicValidator(),
        new JwtStructureValidator(),
        new EvmPrivateKeyValidator(),
        new SolanaKeypairValidator(),
        new PemPrivateKeyValidator(),
    }.ToDictionary(v => v.Id, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Ids => ById.Keys.OrderBy(k => k, StringComparer.Ordinal);

    public static ISecretValidator? Find(string id) => ById.TryGetValue(id, out var v) ? v : null;
}
