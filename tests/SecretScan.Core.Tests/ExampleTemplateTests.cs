// Example templates: syntax and errors, charsets, and that every generator's draws pass (or, for -bad, fail) their validator.
using System.Text;
using System.Text.RegularExpressions;
using SecretScan.Core.Validation;

namespace SecretScan.Core.Tests;

public class ExampleTemplateTests
{
    private const int Draws = 300;

    private static bool Valid(string id, string secret) => Validators.Find(id)!.IsValid(secret);

    private static IEnumerable<string> Draw(string template, int seed, int count = Draws)
    {
        var rng = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return ExampleTemplates.Expand(template, rng);
        }
    }

    [Fact]
    public void Text_without_templates_is_returned_as_is()
    {
        var rng = new Random(1);
        Assert.Equal("token = abc", ExampleTemplates.Expand("token = abc", rng));
        Assert.Equal("", ExampleTemplates.Expand("", rng));
        Assert.Equal("run: ${{ secrets.GITHUB_TOKEN }}", ExampleTemplates.Expand("run: ${{ secrets.GITHUB_TOKEN }}", rng));
        Assert.Equal("open {{ but never closed", ExampleTemplates.Expand("open {{ but never closed", rng));
        Assert.Equal("{{}}", ExampleTemplates.Expand("{{}}", rng));
    }

    [Fact]
    public void Every_template_is_replaced_with_its_own_fresh_value()
    {
        var text = ExampleTemplates.Expand("a={{hex:16}} b={{hex:16}} c={{uuid}};", new Random(2));
        var m = Regex.Match(text, "^a=([0-9a-f]{16}) b=([0-9a-f]{16}) c=([0-9a-f-]{36});$");
        Assert.True(m.Success, text);
        Assert.NotEqual(m.Groups[1].Value, m.Groups[2].Value);
        Assert.NotEqual(ExampleTemplates.Expand("{{alnum:40}}", new Random(3)), ExampleTemplates.Expand("{{alnum:40}}", new Random(4)));
    }

    [Fact]
    public void Braces_around_a_template_stay_and_literal_writes_a_template_lookalike()
    {
        var text = ExampleTemplates.Expand("{{{uuid}}}", new Random(5));
        Assert.Matches("^\\{[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\}$", text);
        Assert.Equal("api_key = \"{{API_KEY}}\"", ExampleTemplates.Expand("api_key = \"{{literal:API_KEY}}\"", new Random(6)));
        Assert.True(ExampleTemplates.HasTemplates("x {{npm}}"));
        Assert.False(ExampleTemplates.HasTemplates("x ${{ secrets.NPM }}"));
    }

    [Theory]
    [InlineData("{{nope}}", "nope")]
    [InlineData("key={{github_bad:ghp_}}", "github_bad:ghp_")]
    [InlineData("{{API_KEY}}", "API_KEY")]
    [InlineData("{{Hex:4}}", "Hex:4")]
    public void Unknown_templates_throw_naming_the_template(string text, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => ExampleTemplates.Expand(text, new Random(7)));
        Assert.Contains("{{" + name + "}}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{alnum}}")]
    [InlineData("{{alnum:}}")]
    [InlineData("{{alnum:x}}")]
    [InlineData("{{hex:-1}}")]
    [InlineData("{{hex:1000001}}")]
    [InlineData("{{uuid:4}}")]
    [InlineData("{{npm:npm_}}")]
    [InlineData("{{github:ghx_}}")]
    [InlineData("{{github:github_pat_}}")]
    [InlineData("{{bip39:13}}")]
    [InlineData("{{bip39:27}}")]
    [InlineData("{{pem}}")]
    [InlineData("{{pem:dsa}}")]
    [InlineData("{{literal}}")]
    public void Bad_arguments_throw_naming_the_template(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => ExampleTemplates.Expand(text, new Random(8)));
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_list_every_documented_generator()
    {
        var documented = new[]
        {
            "alnum", "lower", "upper", "hex", "HEX", "digits", "base64", "base64url", "letters", "uuid", "jwt", "github",
            "github-bad", "npm", "npm-bad", "wif", "wif-compressed", "wif-testnet", "wif-bad", "xprv", "tprv", "yprv", "zprv",
            "xpub", "xprv-bad", "bip39", "bip39-bad", "eth-key", "solana-key", "solana-key-json", "pem", "literal",
        };
        Assert.Empty(documented.Except(ExampleTemplates.Names));
    }

    [Theory]
    [InlineData("alnum", "^[A-Za-z0-9]*$", 62)]
    [InlineData("lower", "^[a-z0-9]*$", 36)]
    [InlineData("upper", "^[A-Z0-9]*$", 36)]
    [InlineData("hex", "^[0-9a-f]*$", 16)]
    [InlineData("HEX", "^[0-9A-F]*$", 16)]
    [InlineData("digits", "^[0-9]*$", 10)]
    [InlineData("base64", "^[A-Za-z0-9+/]*$", 64)]
    [InlineData("base64url", "^[A-Za-z0-9_-]*$", 64)]
    [InlineData("letters", "^[A-Za-z]*$", 52)]
    public void Charsets_give_exactly_n_chars_of_their_alphabet(string name, string pattern, int alphabetSize)
    {
        var rng = new Random(name.Length * 7);
        var seen = new HashSet<char>();
        foreach (var length in new[] { 0, 1, 7, 20, 40, 64, 100 })
        {
            for (var i = 0; i < 30; i++)
            {
                var value = ExampleTemplates.Expand("{{" + name + ":" + length + "}}", rng);
                Assert.Equal(length, value.Length);
                Assert.Matches(pattern, value);
                seen.UnionWith(value);
            }
        }

        // Every char of the alphabet shows up: the whole alphabet is in use, not a subset.
        Assert.Equal(alphabetSize, seen.Count);
    }

    [Fact]
    public void Uuids_are_version_4()
    {
        Assert.All(Draw("{{uuid}}", 10), u => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", u));
    }

    [Fact]
    public void Jwts_have_a_real_json_header_and_payload()
    {
        foreach (var jwt in Draw("{{jwt}}", 11))
        {
            Assert.True(Valid("jwt-structure", jwt), jwt);
            var parts = jwt.Split('.');
            Assert.Equal(3, parts.Length);
            Assert.DoesNotContain('=', jwt);
            var header = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[0])));
            Assert.Matches("^\\{\"alg\":\"(HS256|RS256)\",\"typ\":\"JWT\"\\}$", header);
            Assert.Matches("^\\{\"sub\":\"[0-9a-f-]{36}\",.*\"exp\":\\d+\\}$", Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1]))));
        }
    }

    [Theory]
    [InlineData("ghp_")]
    [InlineData("gho_")]
    [InlineData("ghu_")]
    [InlineData("ghs_")]
    [InlineData("ghr")]
    public void GitHub_tokens_pass_and_bad_ones_fail_with_the_same_shape(string prefix)
    {
        var full = prefix.EndsWith('_') ? prefix : prefix + "_";
        var shape = "^" + full + "[A-Za-z0-9]{36}$";
        foreach (var token in Draw("{{github:" + prefix + "}}", 12))
        {
            Assert.Matches(shape, token);
            Assert.True(Valid("github-crc32", token), token);
        }

        foreach (var token in Draw("{{github-bad:" + prefix + "}}", 13))
        {
            Assert.Matches(shape, token);
            Assert.False(Valid("github-crc32", token), token);
        }

        Assert.StartsWith("ghp_", ExampleTemplates.Expand("{{github}}", new Random(14)), StringComparison.Ordinal);
    }

    [Fact]
    public void Npm_tokens_pass_and_bad_ones_fail_with_the_same_shape()
    {
        Assert.All(Draw("{{npm}}", 15), t => Assert.True(Regex.IsMatch(t, "^npm_[A-Za-z0-9]{36}$") && Valid("npm-crc32", t), t));
        Assert.All(Draw("{{npm-bad}}", 16), t => Assert.True(Regex.IsMatch(t, "^npm_[A-Za-z0-9]{36}$") && !Valid("npm-crc32", t), t));
    }

    [Theory]
    [InlineData("wif", "^5[1-9A-HJ-NP-Za-km-z]{50}$")]
    [InlineData("wif-compressed", "^[KL][1-9A-HJ-NP-Za-km-z]{51}$")]
    [InlineData("wif-testnet", "^(9[1-9A-HJ-NP-Za-km-z]{50}|c[1-9A-HJ-NP-Za-km-z]{51})$")]
    public void Wif_keys_pass_with_the_right_leading_char(string name, string shape)
    {
        foreach (var wif in Draw("{{" + name + "}}", name.Length))
        {
            Assert.Matches(shape, wif);
            Assert.True(Valid("bitcoin-wif", wif), wif);
        }
    }

    [Fact]
    public void Bad_wif_keys_keep_the_shape_and_fail_the_checksum()
    {
        foreach (var wif in Draw("{{wif-bad}}", 17))
        {
            Assert.Matches("^(5[1-9A-HJ-NP-Za-km-z]{50}|[KL][1-9A-HJ-NP-Za-km-z]{51})$", wif);
            Assert.False(Valid("bitcoin-wif", wif), wif);
            Assert.False(Valid("base58check", wif), wif);
        }
    }

    [Theory]
    [InlineData("xprv")]
    [InlineData("tprv")]
    [InlineData("yprv")]
    [InlineData("zprv")]
    public void Extended_private_keys_pass_with_their_prefix(string name)
    {
        foreach (var key in Draw("{{" + name + "}}", name[0]))
        {
            Assert.Matches("^" + name + "[1-9A-HJ-NP-Za-km-z]{107}$", key);
            Assert.True(Valid("bip32-xprv", key), key);
        }
    }

    [Fact]
    public void Xpub_is_valid_base58check_but_not_a_private_key()
    {
        foreach (var key in Draw("{{xpub}}", 18))
        {
            Assert.Matches("^xpub[1-9A-HJ-NP-Za-km-z]{107}$", key);
            Assert.True(Valid("base58check", key), key);
            Assert.False(Valid("bip32-xprv", key), key);
        }
    }

    [Fact]
    public void Bad_xprv_keeps_the_shape_and_fails()
    {
        foreach (var key in Draw("{{xprv-bad}}", 19))
        {
            Assert.Matches("^xprv[1-9A-HJ-NP-Za-km-z]{107}$", key);
            Assert.False(Valid("bip32-xprv", key), key);
            Assert.False(Valid("base58check", key), key);
        }
    }

    [Theory]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(18)]
    [InlineData(21)]
    [InlineData(24)]
    public void Mnemonics_pass_and_bad_ones_are_wordlist_words_that_fail(int count)
    {
        foreach (var mnemonic in Draw("{{bip39:" + count + "}}", count))
        {
            var words = mnemonic.Split(' ');
            Assert.Equal(count, words.Length);
            Assert.True(Valid("bip39", mnemonic), mnemonic);
        }

        foreach (var mnemonic in Draw("{{bip39-bad:" + count + "}}", count + 100))
        {
            var words = mnemonic.Split(' ');
            Assert.Equal(count, words.Length);
            Assert.All(words, w => Assert.True(Bip39.IsWord(w), w));
            Assert.False(Valid("bip39", mnemonic), mnemonic);
        }
    }

    [Fact]
    public void Mnemonic_defaults_to_12_words()
    {
        Assert.Equal(12, ExampleTemplates.Expand("{{bip39}}", new Random(20)).Split(' ').Length);
    }

    [Fact]
    public void Eth_keys_are_lowercase_hex_scalars()
    {
        Assert.All(Draw("{{eth-key}}", 21), k => Assert.True(Regex.IsMatch(k, "^[0-9a-f]{64}$") && Valid("evm-private-key", k), k));
        Assert.All(Draw("0x{{eth-key}}", 22), k => Assert.True(Valid("evm-private-key", k), k));
    }

    [Fact]
    public void Solana_keys_pass_in_both_forms()
    {
        Assert.All(Draw("{{solana-key}}", 23), k => Assert.True(Regex.IsMatch(k, "^[1-9A-HJ-NP-Za-km-z]{86,88}$") && Valid("solana-keypair", k), k));
        foreach (var k in Draw("{{solana-key-json}}", 24))
        {
            Assert.Matches("^\\[(\\d{1,3}, ){63}\\d{1,3}\\]$", k);
            Assert.True(Valid("solana-keypair", k), k);
        }
    }

    [Theory]
    [InlineData("rsa", "RSA PRIVATE KEY", 64, 1500, 1700)]
    [InlineData("ec", "EC PRIVATE KEY", 64, 150, 180)]
    [InlineData("pkcs8", "PRIVATE KEY", 64, 1500, 1700)]
    [InlineData("encrypted", "ENCRYPTED PRIVATE KEY", 64, 1600, 1800)]
    [InlineData("openssh", "OPENSSH PRIVATE KEY", 70, 380, 420)]
    public void Pem_blocks_have_the_right_labels_lines_and_length(string kind, string label, int width, int minBase64, int maxBase64)
    {
        foreach (var block in Draw("{{pem:" + kind + "}}", kind.Length, 100))
        {
            Assert.True(Valid("pem-private-key", block), block);
            var lines = block.Split('\n');
            Assert.Equal($"-----BEGIN {label}-----", lines[0]);
            Assert.Equal($"-----END {label}-----", lines[lines.Length - 1]);
            var body = lines.Skip(1).Take(lines.Length - 2).ToArray();
            Assert.All(body.Take(body.Length - 1), l => Assert.Equal(width, l.Length));
            Assert.InRange(body[body.Length - 1].Length, 1, width);
            Assert.InRange(string.Concat(body).Length, minBase64, maxBase64);
            Assert.DoesNotContain('\r', block);
        }
    }

    [Fact]
    public void Generated_values_are_never_taken_for_placeholders()
    {
        var rng = new Random(25);
        foreach (var template in new[] { "{{alnum:40}}", "{{lower:8}}", "{{pem:rsa}}", "{{base64:88}}", "{{solana-key}}", "{{jwt}}" })
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.False(Placeholders.IsPlaceholder(ExampleTemplates.Expand(template, rng)), template);
            }
        }
    }

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
