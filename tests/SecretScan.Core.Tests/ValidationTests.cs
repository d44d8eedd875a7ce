// Checksum and structure validators: fresh random fakes of each format pass, and every kind of near miss fails.
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using SecretScan.Core.Validation;

namespace SecretScan.Core.Tests;

public class ValidationTests
{
    private const int Draws = 300;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly string[] PrivateVersions =
    {
        "0488ADE4", "04358394", "049D7878", "04B2430C", "044A4E28", "045F18BC", "0295B005", "02AA7A99", "024285B5", "02575048",
    };

    private static bool Valid(string id, string secret) =>
        (Validators.Find(id) ?? throw new InvalidOperationException("no validator " + id)).IsValid(secret);

    [Fact]
    public void Registry_lists_every_validator_and_finds_them_ignoring_case()
    {
        var expected = new[]
        {
            "base58check", "bip32-xprv", "bip39", "bitcoin-wif", "evm-private-key", "github-crc32", "jwt-structure",
            "npm-crc32", "pem-private-key", "solana-keypair",
        };
        Assert.Equal(expected, Validators.Ids);
        foreach (var id in expected)
        {
            Assert.Equal(id, Validators.Find(id.ToUpperInvariant())!.Id);
        }

        Assert.Null(Validators.Find("luhn"));
    }

    // ---- github-crc32 and npm-crc32 ----

    [Theory]
    [InlineData("ghp_")]
    [InlineData("gho_")]
    [InlineData("ghu_")]
    [InlineData("ghs_")]
    [InlineData("ghr_")]
    public void GitHub_tokens_with_their_checksum_pass(string prefix)
    {
        var rng = new Random(prefix[2]);
        for (var i = 0; i < Draws; i++)
        {
            Assert.True(Valid("github-crc32", FakeSecrets.Base62Token(prefix, rng)));
        }
    }

    [Fact]
    public void GitHub_tokens_with_a_changed_char_or_wrong_shape_fail()
    {
        var rng = new Random(11);
        for (var i = 0; i < Draws; i++)
        {
            var token = FakeSecrets.Base62Token("ghp_", rng);
            Assert.False(Valid("github-crc32", FakeSecrets.ReplaceCharAt(token, 4 + rng.Next(36), Base62, rng)));
        }

        var good = FakeSecrets.Base62Token("ghp_", rng);
        Assert.False(Valid("github-crc32", good.Substring(0, 39)));
        Assert.False(Valid("github-crc32", good + "0"));
        Assert.False(Valid("github-crc32", "ghx_" + good.Substring(4)));
        Assert.False(Valid("github-crc32", "GHP_" + good.Substring(4)));
        Assert.False(Valid("github-crc32", good.Substring(0, 10) + "-" + good.Substring(11)));
        Assert.False(Valid("github-crc32", " " + good));
        Assert.False(Valid("github-crc32", ""));
        Assert.False(Valid("github-crc32", FakeSecrets.Base62Token("npm_", rng)));
    }

    [Fact]
    public void Fine_grained_github_tokens_are_not_checksum_tokens()
    {
        var rng = new Random(12);
        var head = FakeSecrets.RandomString(Base62, 22, rng) + "_" + FakeSecrets.RandomString(Base62, 53, rng);
        var token = "github_pat_" + head + FakeSecrets.Base62Crc(head);
        Assert.False(Valid("github-crc32", token));
    }

    [Fact]
    public void Npm_tokens_with_their_checksum_pass_and_near_misses_fail()
    {
        var rng = new Random(13);
        for (var i = 0; i < Draws; i++)
        {
            var token = FakeSecrets.Base62Token("npm_", rng);
            Assert.True(Valid("npm-crc32", token));
            Assert.False(Valid("npm-crc32", FakeSecrets.ReplaceCharAt(token, 4 + rng.Next(36), Base62, rng)));
        }

        var good = FakeSecrets.Base62Token("npm_", rng);
        Assert.False(Valid("npm-crc32", good.Substring(0, 39)));
        Assert.False(Valid("npm-crc32", "NPM_" + good.Substring(4)));
        Assert.False(Valid("npm-crc32", FakeSecrets.Base62Token("ghp_", rng)));
    }

    // ---- base58check ----

    [Fact]
    public void Base58check_strings_pass_and_a_changed_char_fails()
    {
        var rng = new Random(21);
        for (var i = 0; i < Draws; i++)
        {
            var payload = FakeSecrets.Bytes(1 + rng.Next(80), rng);
            if (i % 10 == 0)
            {
                payload[0] = 0; // leading zero bytes become leading '1's
            }

            var text = FakeSecrets.Base58Check(payload);
            Assert.True(Valid("base58check", text));
            Assert.False(Valid("base58check", FakeSecrets.ReplaceCharAt(text, rng.Next(text.Length), FakeSecrets.Base58Alphabet, rng)));
        }
    }

    [Fact]
    public void Base58check_rejects_foreign_chars_and_too_short_input()
    {
        var text = FakeSecrets.Base58Check(FakeSecrets.Bytes(21, new Random(22)));
        foreach (var c in "0OIl+/ ")
        {
            Assert.False(Valid("base58check", text.Substring(0, 5) + c + text.Substring(6)));
        }

        Assert.False(Valid("base58check", ""));
        Assert.False(Valid("base58check", "1111"));
        Assert.False(Valid("base58check", FakeSecrets.Base58(new byte[] { 1, 2, 3, 4 })));
        Assert.False(Valid("base58check", new string('2', 2000)));
    }

    // ---- bitcoin-wif ----

    [Fact]
    public void Wif_keys_pass_for_both_networks_compressed_or_not()
    {
        var rng = new Random(31);
        for (var i = 0; i < Draws; i++)
        {
            var version = i % 2 == 0 ? (byte)0x80 : (byte)0xEF;
            var compressed = i % 4 < 2;
            var wif = FakeSecrets.Wif(version, FakeSecrets.PrivateKey(rng), compressed);
            Assert.True(Valid("bitcoin-wif", wif));
            Assert.True(Valid("base58check", wif));
            Assert.False(Valid("bitcoin-wif", FakeSecrets.ReplaceCharAt(wif, 1 + rng.Next(wif.Length - 1), FakeSecrets.Base58Alphabet, rng)));
        }
    }

    [Fact]
    public void Wif_with_wrong_version_marker_length_or_scalar_fails()
    {
        var rng = new Random(32);
        var key = FakeSecrets.PrivateKey(rng);
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Wif(0x00, key, compressed: false)));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Wif(0x81, key, compressed: true)));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Base58Check(new byte[] { 0x80 }.Concat(key).Concat(new byte[] { 0x02 }).ToArray())));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Base58Check(new byte[] { 0x80 }.Concat(key.Take(31)).ToArray())));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Base58Check(new byte[] { 0x80 }.Concat(key).Concat(new byte[] { 0x01, 0x01 }).ToArray())));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Wif(0x80, new byte[32], compressed: false)));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Wif(0x80, FakeSecrets.Scalar(FakeSecrets.N), compressed: true)));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Wif(0x80, FakeSecrets.Scalar(FakeSecrets.N + 1), compressed: true)));
        Assert.False(Valid("bitcoin-wif", FakeSecrets.Wif(0xEF, Enumerable.Repeat((byte)0xFF, 32).ToArray(), compressed: false)));
        Assert.True(Valid("bitcoin-wif", FakeSecrets.Wif(0x80, FakeSecrets.Scalar(FakeSecrets.N - 1), compressed: true)));
        Assert.True(Valid("bitcoin-wif", FakeSecrets.Wif(0xEF, FakeSecrets.Scalar(BigInteger.One), compressed: false)));
    }

    // ---- bip32-xprv ----

    [Fact]
    public void Extended_private_keys_of_every_private_version_pass()
    {
        var rng = new Random(41);
        for (var i = 0; i < Draws; i++)
        {
            var xprv = FakeSecrets.ExtendedKey(PrivateVersions[i % PrivateVersions.Length], 0x00, FakeSecrets.PrivateKey(rng), rng);
            Assert.True(Valid("bip32-xprv", xprv));
            Assert.False(Valid("bip32-xprv", FakeSecrets.ReplaceCharAt(xprv, 4 + rng.Next(xprv.Length - 4), FakeSecrets.Base58Alphabet, rng)));
        }
    }

    [Fact]
    public void Extended_public_keys_and_malformed_private_keys_fail()
    {
        var rng = new Random(42);
        var key = FakeSecrets.PrivateKey(rng);
        foreach (var publicVersion in new[] { "0488B21E", "043587CF", "049D7CB2", "04B24746" })
        {
            var xpub = FakeSecrets.ExtendedKey(publicVersion, 0x02, key, rng);
            Assert.True(Valid("base58check", xpub));
            Assert.False(Valid("bip32-xprv", xpub));
        }

        Assert.False(Valid("bip32-xprv", FakeSecrets.ExtendedKey("0488ADE4", 0x02, key, rng)));
        Assert.False(Valid("bip32-xprv", FakeSecrets.ExtendedKey("0488ADE5", 0x00, key, rng)));
        Assert.False(Valid("bip32-xprv", FakeSecrets.ExtendedKey("0488ADE4", 0x00, new byte[32], rng)));
        Assert.False(Valid("bip32-xprv", FakeSecrets.ExtendedKey("0488ADE4", 0x00, FakeSecrets.Scalar(FakeSecrets.N), rng)));
        Assert.True(Valid("bip32-xprv", FakeSecrets.ExtendedKey("0488ADE4", 0x00, FakeSecrets.Scalar(FakeSecrets.N - 1), rng)));

        var payload = FakeSecrets.Base58CheckPayload(FakeSecrets.ExtendedKey("0488ADE4", 0x00, key, rng));
        Assert.False(Valid("bip32-xprv", FakeSecrets.Base58Check(payload.Take(77).ToArray())));
        Assert.False(Valid("bip32-xprv", FakeSecrets.Base58Check(payload.Concat(new byte[] { 0 }).ToArray())));
    }

    // ---- bip39 ----

    [Theory]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(18)]
    [InlineData(21)]
    [InlineData(24)]
    public void Mnemonics_with_their_checksum_pass(int words)
    {
        var rng = new Random(50 + words);
        for (var i = 0; i < Draws; i++)
        {
            var mnemonic = FakeSecrets.Mnemonic(FakeSecrets.Bytes(words * 4 / 3, rng));
            Assert.Equal(words, mnemonic.Split(' ').Length);
            Assert.True(Valid("bip39", mnemonic));
        }
    }

    [Fact]
    public void Mnemonics_pass_however_they_are_separated_quoted_or_cased()
    {
        var rng = new Random(56);
        var words = FakeSecrets.Mnemonic(FakeSecrets.Bytes(16, rng)).Split(' ');
        var variants = new[]
        {
            string.Join("  ", words),
            string.Join("\n", words),
            string.Join("\r\n", words) + "\n",
            string.Join(", ", words),
            string.Join(",", words),
            "\"" + string.Join(" ", words) + "\"",
            "'" + string.Join(" ", words) + "'",
            "[" + string.Join(", ", words.Select(w => "\"" + w + "\"")) + "]",
            string.Join("\\n", words),
            "\t" + string.Join(" ", words).ToUpperInvariant() + " ",
        };
        foreach (var text in variants)
        {
            Assert.True(Valid("bip39", text), text);
        }
    }

    [Fact]
    public void Mnemonics_with_wrong_count_word_or_checksum_fail()
    {
        var rng = new Random(57);
        for (var i = 0; i < Draws; i++)
        {
            var words = FakeSecrets.Mnemonic(FakeSecrets.Bytes(16, rng)).Split(' ');
            Assert.False(Valid("bip39", string.Join(" ", words.Take(11))));
            Assert.False(Valid("bip39", string.Join(" ", words.Concat(new[] { words[0] }))));
            Assert.False(Valid("bip39", string.Join(" ", words.Take(11).Concat(new[] { "bitcoin" }))));
            Assert.False(Valid("bip39", FakeSecrets.WithWrongChecksum(words)));
        }

        Assert.False(Valid("bip39", ""));
        Assert.False(Valid("bip39", string.Join(" ", Enumerable.Repeat("abandon", 12))));
        Assert.False(Valid("bip39", string.Join(" ", Enumerable.Repeat("abandon", 30))));
    }

    [Fact]
    public void Wordlist_lookup_knows_bip39_words_only()
    {
        Assert.True(Bip39.IsWord("abandon"));
        Assert.True(Bip39.IsWord("zoo"));
        Assert.True(Bip39.IsWord("Wrong"));
        Assert.False(Bip39.IsWord("bitcoin"));
        Assert.False(Bip39.IsWord("abandon "));
        Assert.False(Bip39.IsWord(""));
    }

    // ---- jwt-structure ----

    [Fact]
    public void Jwts_with_json_header_and_payload_pass()
    {
        var rng = new Random(61);
        for (var i = 0; i < Draws; i++)
        {
            var alg = i % 2 == 0 ? "HS256" : "ES384";
            var jwt = FakeSecrets.Jwt($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}", $"{{\"sub\":\"{FakeSecrets.RandomString(Base62, 12, rng)}\",\"n\":{i}}}", FakeSecrets.Bytes(32, rng));
            Assert.True(Valid("jwt-structure", jwt));
        }
    }

    [Fact]
    public void Unsecured_jwts_are_kept()
    {
        Assert.True(Valid("jwt-structure", FakeSecrets.Jwt("{\"alg\":\"none\"}", "{\"sub\":\"x\"}", Array.Empty<byte>())));
        Assert.True(Valid("jwt-structure", FakeSecrets.Jwt("{ \"typ\" : \"JWT\", \"alg\" : \"none\" }", " {\"a\":1}", Array.Empty<byte>())));
    }

    [Fact]
    public void Jwt_lookalikes_fail()
    {
        var rng = new Random(62);
        var sig = FakeSecrets.Bytes(32, rng);
        var good = FakeSecrets.Jwt("{\"alg\":\"HS256\"}", "{\"sub\":\"x\"}", sig);
        var parts = good.Split('.');
        Assert.True(Valid("jwt-structure", good));
        Assert.False(Valid("jwt-structure", parts[0] + "." + parts[1]));
        Assert.False(Valid("jwt-structure", good + "." + parts[2]));
        Assert.False(Valid("jwt-structure", "." + parts[1] + "." + parts[2]));
        Assert.False(Valid("jwt-structure", parts[0] + ".." + parts[2]));
        Assert.False(Valid("jwt-structure", FakeSecrets.Jwt("{\"typ\":\"JWT\"}", "{\"sub\":\"x\"}", sig)));
        Assert.False(Valid("jwt-structure", FakeSecrets.Jwt("{\"typ\":\"alg\"}", "{\"sub\":\"x\"}", sig)));
        Assert.False(Valid("jwt-structure", FakeSecrets.Jwt("[\"alg\"]", "{\"sub\":\"x\"}", sig)));
        Assert.False(Valid("jwt-structure", FakeSecrets.Jwt("{\"alg\":\"HS256\"}", "[1,2]", sig)));
        Assert.False(Valid("jwt-structure", FakeSecrets.Jwt("{\"alg\":\"HS256\"}", "plain text", sig)));
        Assert.False(Valid("jwt-structure", parts[0] + "." + parts[1] + "." + parts[2] + "*"));
        Assert.False(Valid("jwt-structure", parts[0].Replace('J', '+') + "." + parts[1] + "." + parts[2]));
        Assert.False(Valid("jwt-structure", parts[0] + "." + parts[1] + "." + parts[2].Substring(0, 41)));
        Assert.False(Valid("jwt-structure", "a.b.c"));
        Assert.False(Valid("jwt-structure", "1.2.3"));
    }

    // ---- evm-private-key ----

    [Fact]
    public void Evm_private_keys_pass_with_or_without_0x_in_either_case()
    {
        var rng = new Random(71);
        for (var i = 0; i < Draws; i++)
        {
            var hex = Convert.ToHexString(FakeSecrets.PrivateKey(rng));
            Assert.True(Valid("evm-private-key", hex.ToLowerInvariant()));
            Assert.True(Valid("evm-private-key", "0x" + hex.ToLowerInvariant()));
            Assert.True(Valid("evm-private-key", "0X" + hex));
        }
    }

    [Fact]
    public void Evm_keys_with_wrong_length_chars_or_scalar_fail()
    {
        var hex = Convert.ToHexString(FakeSecrets.PrivateKey(new Random(72))).ToLowerInvariant();
        Assert.False(Valid("evm-private-key", hex.Substring(1)));
        Assert.False(Valid("evm-private-key", hex + "a"));
        Assert.False(Valid("evm-private-key", "0x" + hex.Substring(2)));
        Assert.False(Valid("evm-private-key", "0x" + hex + "0"));
        Assert.False(Valid("evm-private-key", "1x" + hex));
        Assert.False(Valid("evm-private-key", hex.Substring(0, 63) + "g"));
        Assert.False(Valid("evm-private-key", new string('0', 64)));
        Assert.False(Valid("evm-private-key", "0x" + Convert.ToHexString(FakeSecrets.Scalar(FakeSecrets.N))));
        Assert.False(Valid("evm-private-key", new string('f', 64)));
        Assert.True(Valid("evm-private-key", Convert.ToHexString(FakeSecrets.Scalar(FakeSecrets.N - 1))));
        Assert.True(Valid("evm-private-key", "0x" + new string('0', 63) + "1"));
    }

    // ---- solana-keypair ----

    [Fact]
    public void Solana_keypairs_pass_as_base58_or_byte_array()
    {
        var rng = new Random(81);
        for (var i = 0; i < Draws; i++)
        {
            var keypair = FakeSecrets.Bytes(64, rng);
            Assert.True(Valid("solana-keypair", FakeSecrets.Base58(keypair)));
            var separator = i % 3 == 0 ? "," : i % 3 == 1 ? ", " : ",\n  ";
            Assert.True(Valid("solana-keypair", "[" + string.Join(separator, keypair) + "]"));
        }

        Assert.True(Valid("solana-keypair", "[\n  " + string.Join(",\n  ", FakeSecrets.Bytes(64, rng)) + "\n]\n"));
    }

    [Fact]
    public void Solana_lookalikes_fail()
    {
        var rng = new Random(82);
        var keypair = FakeSecrets.Bytes(64, rng);
        Assert.False(Valid("solana-keypair", FakeSecrets.Base58(keypair.Take(63).ToArray())));
        Assert.False(Valid("solana-keypair", FakeSecrets.Base58(keypair.Concat(new byte[] { 9 }).ToArray())));
        Assert.False(Valid("solana-keypair", FakeSecrets.Base58(FakeSecrets.Bytes(32, rng))));
        Assert.False(Valid("solana-keypair", FakeSecrets.Base58(Enumerable.Repeat((byte)7, 64).ToArray())));
        Assert.False(Valid("solana-keypair", FakeSecrets.Base58(keypair) + "0"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(",", keypair.Take(63)) + "]"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(",", keypair.Concat(new byte[] { 1 })) + "]"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(",", Enumerable.Repeat(0, 64)) + "]"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(",", keypair.Select(b => (int)b).Skip(1).Concat(new[] { 256 })) + "]"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(",", keypair.Select(b => (int)b).Skip(1).Concat(new[] { -1 })) + "]"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(",", keypair) + ",]"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(" ", keypair) + "]"));
        Assert.False(Valid("solana-keypair", "[" + string.Join(",", keypair)));
        Assert.False(Valid("solana-keypair", "[]"));
    }

    // ---- pem-private-key ----

    [Theory]
    [InlineData("RSA PRIVATE KEY", 1192)]
    [InlineData("EC PRIVATE KEY", 121)]
    [InlineData("PRIVATE KEY", 1218)]
    [InlineData("ENCRYPTED PRIVATE KEY", 1298)]
    [InlineData("OPENSSH PRIVATE KEY", 300)]
    [InlineData("DSA PRIVATE KEY", 448)]
    public void Pem_private_key_blocks_pass(string label, int bytes)
    {
        var rng = new Random(label.Length);
        for (var i = 0; i < 50; i++)
        {
            var block = FakeSecrets.Pem(label, FakeSecrets.Bytes(bytes, rng), 64);
            Assert.True(Valid("pem-private-key", block));
            Assert.True(Valid("pem-private-key", block.Replace("\n", "\r\n")));
            Assert.True(Valid("pem-private-key", block.Replace("\n", "\\n")));
            Assert.True(Valid("pem-private-key", "\"key\": \"" + block.Replace("\n", "\\n") + "\\n\","));
            Assert.True(Valid("pem-private-key", block.Replace("\n", "\\\\n")));
            Assert.True(Valid("pem-private-key", block.Replace("\n", "\n    ")));
        }
    }

    [Fact]
    public void Pem_blocks_with_headers_or_pgp_armor_pass()
    {
        var rng = new Random(91);
        var body = Convert.ToBase64String(FakeSecrets.Bytes(1192, rng));
        var encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC," +
            Convert.ToHexString(FakeSecrets.Bytes(16, rng)) + "\n\n" + FakeSecrets.Wrap(body, 64) + "\n-----END RSA PRIVATE KEY-----";
        Assert.True(Valid("pem-private-key", encrypted));
        Assert.True(Valid("pem-private-key", encrypted.Replace("\n", "\\n")));

        var pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: fake\n\n" + FakeSecrets.Wrap(body, 64) +
            "\n=" + Convert.ToBase64String(FakeSecrets.Bytes(3, rng)) + "\n-----END PGP PRIVATE KEY BLOCK-----\n";
        Assert.True(Valid("pem-private-key", pgp));
    }

    [Fact]
    public void Redacted_truncated_public_or_unterminated_blocks_fail()
    {
        var rng = new Random(92);
        var body = FakeSecrets.Bytes(1192, rng);
        Assert.False(Valid("pem-private-key", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"));
        Assert.False(Valid("pem-private-key", "-----BEGIN PRIVATE KEY-----\n<redacted>\n-----END PRIVATE KEY-----"));
        Assert.False(Valid("pem-private-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----"));
        Assert.False(Valid("pem-private-key", "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA...\\n-----END RSA PRIVATE KEY-----"));
        Assert.False(Valid("pem-private-key", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"));
        Assert.False(Valid("pem-private-key", FakeSecrets.Pem("PRIVATE KEY", FakeSecrets.Bytes(63, rng), 64)));
        Assert.True(Valid("pem-private-key", FakeSecrets.Pem("PRIVATE KEY", FakeSecrets.Bytes(64, rng), 64)));
        Assert.False(Valid("pem-private-key", FakeSecrets.Pem("PUBLIC KEY", body, 64)));
        Assert.False(Valid("pem-private-key", FakeSecrets.Pem("CERTIFICATE", body, 64)));
        Assert.False(Valid("pem-private-key", FakeSecrets.Pem("RSA PRIVATE KEY", body, 64).Replace("END RSA", "END EC")));
        Assert.False(Valid("pem-private-key", FakeSecrets.Pem("RSA PRIVATE KEY", body, 64).Replace("-----END RSA PRIVATE KEY-----", "")));
        var pem = FakeSecrets.Pem("RSA PRIVATE KEY", body, 64);
        Assert.False(Valid("pem-private-key", pem.Insert(pem.IndexOf('\n', StringComparison.Ordinal) + 10, "*")));
        Assert.False(Valid("pem-private-key", FakeSecrets.Wrap(Convert.ToBase64String(body), 64)));
        Assert.False(Valid("pem-private-key", "-----BEGIN RSA PRIVATE KEY"));
    }
}

/// <summary>
/// Random fakes of each format, built here with simple independent code (BigInteger Base58, bitwise CRC-32) so the
/// tests do not check the validators against themselves.
/// </summary>
internal static class FakeSecrets
{
    public const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly string[] Words = LoadWords();

    public static string RandomString(string alphabet, int length, Random rng) =>
        new(Enumerable.Range(0, length).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());

    public static byte[] Bytes(int count, Random rng)
    {
        var bytes = new byte[count];
        rng.NextBytes(bytes);
        return bytes;
    }

    public static string ReplaceCharAt(string text, int index, string alphabet, Random rng)
    {
        char c;
        do
        {
            c = alphabet[rng.Next(alphabet.Length)];
        }
        while (c == text[index]);

        return text.Substring(0, index) + c + text.Substring(index + 1);
    }

    public static string Base62Crc(string body)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var ch in Encoding.ASCII.GetBytes(body))
        {
            crc ^= ch;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        crc = ~crc;
        var digits = "";
        for (var i = 0; i < 6; i++)
        {
            digits = Base62[(int)(crc % 62)] + digits;
            crc /= 62;
        }

        return digits;
    }

    public static string Base62Token(string prefix, Random rng)
    {
        var body = RandomString(Base62, 30, rng);
        return prefix + body + Base62Crc(body);
    }

    public static string Base58(byte[] data)
    {
        var n = new BigInteger(data.Reverse().Concat(new byte[] { 0 }).ToArray());
        var sb = new StringBuilder();
        while (n > 0)
        {
            sb.Insert(0, Base58Alphabet[(int)(n % 58)]);
            n /= 58;
        }

        return new string('1', data.TakeWhile(b => b == 0).Count()) + sb;
    }

    public static string Base58Check(byte[] payload) =>
        Base58(payload.Concat(SHA256.HashData(SHA256.HashData(payload)).Take(4)).ToArray());

    public static byte[] Base58CheckPayload(string text)
    {
        var n = BigInteger.Zero;
        foreach (var c in text)
        {
            n = (n * 58) + Base58Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        var bytes = n.IsZero ? Array.Empty<byte>() : n.ToByteArray(isUnsigned: true, isBigEndian: true);
        var all = new byte[text.TakeWhile(c => c == '1').Count()].Concat(bytes).ToArray();
        return all.Take(all.Length - 4).ToArray();
    }

    public static byte[] Scalar(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return new byte[32 - bytes.Length].Concat(bytes).ToArray();
    }

    public static byte[] PrivateKey(Random rng)
    {
        while (true)
        {
            var key = Bytes(32, rng);
            var value = new BigInteger(key, isUnsigned: true, isBigEndian: true);
            if (value > 0 && value < N)
            {
                return key;
            }
        }
    }

    public static string Wif(byte version, byte[] key, bool compressed) =>
        Base58Check(new[] { version }.Concat(key).Concat(compressed ? new byte[] { 1 } : Array.Empty<byte>()).ToArray());

    public static string ExtendedKey(string versionHex, byte keyPrefix, byte[] key, Random rng) =>
        Base58Check(Convert.FromHexString(versionHex).Concat(new[] { (byte)rng.Next(5) }).Concat(Bytes(8, rng)).Concat(Bytes(32, rng))
            .Concat(new[] { keyPrefix }).Concat(key).ToArray());

    public static string Mnemonic(byte[] entropy)
    {
        var bits = string.Concat(entropy.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        bits += Convert.ToString(SHA256.HashData(entropy)[0], 2).PadLeft(8, '0').Substring(0, entropy.Length / 4);
        return string.Join(" ", Enumerable.Range(0, bits.Length / 11).Select(i => Words[Convert.ToInt32(bits.Substring(i * 11, 11), 2)]));
    }

    /// <summary>The same words with the last word's checksum bits moved to another value.</summary>
    public static string WithWrongChecksum(string[] words)
    {
        var checksumBits = words.Length / 3;
        var last = Array.IndexOf(Words, words[words.Length - 1]);
        var wrong = (last & ~((1 << checksumBits) - 1)) | (((last & ((1 << checksumBits) - 1)) + 1) % (1 << checksumBits));
        return string.Join(" ", words.Take(words.Length - 1).Concat(new[] { Words[wrong] }));
    }

    public static string Jwt(string header, string payload, byte[] signature) =>
        Base64Url(Encoding.UTF8.GetBytes(header)) + "." + Base64Url(Encoding.UTF8.GetBytes(payload)) + "." + Base64Url(signature);

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Wrap(string text, int width) =>
        string.Join("\n", Enumerable.Range(0, (text.Length + width - 1) / width).Select(i => text.Substring(i * width, Math.Min(width, text.Length - (i * width)))));

    public static string Pem(string label, byte[] der, int width) =>
        $"-----BEGIN {label}-----\n{Wrap(Convert.ToBase64String(der), width)}\n-----END {label}-----";

    private static string[] LoadWords()
    {
        // The published list is checked word for word against its hash in ValidationVectorTests.
        return Bip39.EnglishWords.ToArray();
    }
}
