// bip39: a wallet seed phrase of 12-24 wordlist words whose checksum bits match, however it is quoted or separated.
namespace SecretScan.Core.Validation;

internal sealed class Bip39MnemonicValidator : ISecretValidator
{
    private const int MaxWords = 24;

    // 24 words of at most 8 letters with generous separators and quoting; longer text is not one phrase.
    private const int MaxTextLength = 1024;

    public string Id => "bip39";

    public bool IsValid(string secret)
    {
        if (secret.Length > MaxTextLength)
        {
            return false;
        }

        var words = Bip39.SplitWords(secret, MaxWords);
        return words is not null && Bip39.IsValidMnemonic(words);
    }
}
