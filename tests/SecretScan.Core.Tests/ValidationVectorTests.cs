// Published test vectors from public specifications and documentation (BIP39, BIP32, RFC 7519, the Bitcoin wiki), not secrets.
using System.Security.Cryptography;
using System.Text;
using SecretScan.Core.Validation;

namespace SecretScan.Core.Tests;

public class ValidationVectorTests
{
    private static bool Valid(string id, string secret) => Validators.Find(id)!.IsValid(secret);

    [Fact]
    public void Embedded_wordlist_is_the_published_bip39_english_list()
    {
        // SHA-256 of bitcoin/bips bip-0039/english.txt (one word a line, trailing newline).
        var text = string.Join("\n", Bip39.EnglishWords) + "\n";
        Assert.Equal(2048, Bip39.EnglishWords.Count);
        Assert.Equal("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
        Assert.All(Bip39.EnglishWords, w => Assert.True(Bip39.IsWord(w)));
    }

    // BIP39 reference vectors (trezor/python-mnemonic vectors.json, entropy 00.., 7f.., 80.., ff..).
    [Theory]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")]
    [InlineData("legal winner thank year wave sausage worth useful legal winner thank yellow")]
    [InlineData("letter advice cage absurd amount doctor acoustic avoid letter advice cage above")]
    [InlineData("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong")]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent")]
    [InlineData("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when")]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art")]
    [InlineData("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote")]
    public void Bip39_reference_mnemonics_pass(string mnemonic)
    {
        Assert.True(Valid("bip39", mnemonic));
    }

    [Theory]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon")]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon above")]
    [InlineData("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo")]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")]
    public void Bip39_vectors_with_a_wrong_last_word_or_count_fail(string mnemonic)
    {
        Assert.False(Valid("bip39", mnemonic));
    }

    // BIP-0032 test vector 1, chain m (seed 000102030405060708090a0b0c0d0e0f).
    private const string Bip32Vector1MasterPrivate =
        "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";

    private const string Bip32Vector1MasterPublic =
        "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";

    [Fact]
    public void Bip32_vector_1_master_private_key_passes_and_its_public_key_does_not()
    {
        Assert.True(Valid("bip32-xprv", Bip32Vector1MasterPrivate));
        Assert.True(Valid("base58check", Bip32Vector1MasterPrivate));
        Assert.False(Valid("bip32-xprv", Bip32Vector1MasterPublic));
        Assert.True(Valid("base58check", Bip32Vector1MasterPublic));
        Assert.False(Valid("bip32-xprv", Bip32Vector1MasterPrivate.Replace("3QTDL", "3QTDM")));
    }

    // The Bitcoin wiki's "Wallet import format" walkthrough key 0C28FCA3...72AA1D, uncompressed and compressed.
    [Theory]
    [InlineData("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ")]
    [InlineData("KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617")]
    public void Bitcoin_wiki_wif_example_passes(string wif)
    {
        Assert.True(Valid("bitcoin-wif", wif));
        Assert.False(Valid("bitcoin-wif", wif.Substring(0, wif.Length - 1) + (wif[wif.Length - 1] == 'J' ? 'K' : 'J')));
    }

    [Fact]
    public void Bitcoin_genesis_address_is_base58check_but_not_a_key()
    {
        const string GenesisAddress = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        Assert.True(Valid("base58check", GenesisAddress));
        Assert.False(Valid("bitcoin-wif", GenesisAddress));
        Assert.False(Valid("bip32-xprv", GenesisAddress));
    }

    // RFC 7519 section 3.1: the header and claims carry CRLF and spaces inside their JSON.
    [Fact]
    public void Rfc7519_example_jwt_passes()
    {
        const string Example = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" +
            ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" +
            ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        Assert.True(Valid("jwt-structure", Example));
    }
}
