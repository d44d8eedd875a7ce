// The registry of checksum and structure validators that rules name in their `checksum:` field.
namespace SecretScan.Core.Validation;

public static class Validators
{
    private static readonly Dictionary<string, ISecretValidator> ById = new ISecretValidator[]
    {
        // Filled in by the validators work item: github-crc32, npm-crc32, base58check, bitcoin-wif, bip32-xprv, bip39, jwt-structure, ...
    }.ToDictionary(v => v.Id, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Ids => ById.Keys.OrderBy(k => k, StringComparer.Ordinal);

    public static ISecretValidator? Find(string id) => ById.TryGetValue(id, out var v) ? v : null;
}
