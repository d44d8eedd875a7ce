// Fills {{generator}} templates in rule examples with fresh random, format-valid fakes, so no real-looking token is committed.
using System.Globalization;
using System.Text;

namespace SecretScan.Core.Validation;

/// <summary>
/// Expands `{{name}}` and `{{name:arg}}` in example text. Every generator draws a new random value that passes the
/// matching validator (the `-bad` ones have the right shape and a wrong checksum). Text between `{{` and `}}` that
/// holds whitespace is not a template (`${{ secrets.TOKEN }}` stays as written); `{{literal:NAME}}` writes `{{NAME}}`.
/// </summary>
public static class ExampleTemplates
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Hex = "0123456789abcdef";

    // Charset lengths beyond this are a typo, not an example.
    private const int MaxLength = 100_000;

    private static readonly Dictionary<string, Func<Template, Random, string>> Generators = new(StringComparer.Ordinal)
    {
        ["alnum"] = Chars(Alnum),
        ["lower"] = Chars("abcdefghijklmnopqrstuvwxyz0123456789"),
        ["upper"] = Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
        ["hex"] = Chars(Hex),
        ["HEX"] = Chars("0123456789ABCDEF"),
        ["digits"] = Chars("0123456789"),
        ["base64"] = Chars(Alnum + "+/"),
        ["base64url"] = Chars(Alnum + "-_"),
        ["letters"] = Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
        ["uuid"] = (t, rng) => t.NoArg(Uuid(rng)),
        ["jwt"] = (t, rng) => t.NoArg(Jwt(rng)),
        ["github"] = (t, rng) => GitHubToken(GitHubPrefix(t), rng),
        ["github-bad"] = (t, rng) => BreakChecksum(GitHubToken(GitHubPrefix(t), rng), rng),
        ["npm"] = (t, rng) => t.NoArg(NpmToken(rng)),
        ["npm-bad"] = (t, rng) => t.NoArg(BreakChecksum(NpmToken(rng), rng)),
        ["wif"] = (t, rng) => t.NoArg(Wif(BitcoinWifValidator.MainnetVersion, compressed: false, rng)),
        ["wif-compressed"] = (t, rng) => t.NoArg(Wif(BitcoinWifValidator.MainnetVersion, compressed: true, rng)),
        ["wif-testnet"] = (t, rng) => t.NoArg(Wif(BitcoinWifValidator.TestnetVersion, compressed: rng.Next(2) == 0, rng)),
        ["wif-bad"] = (t, rng) => t.NoArg(CorruptBase58(Wif(BitcoinWifValidator.MainnetVersion, compressed: rng.Next(2) == 0, rng), 1, rng)),
        ["xprv"] = (t, rng) => t.NoArg(ExtendedPrivateKey(0x0488ADE4, rng)),
        ["tprv"] = (t, rng) => t.NoArg(ExtendedPrivateKey(0x04358394, rng)),
        ["yprv"] = (t, rng) => t.NoArg(ExtendedPrivateKey(0x049D7878, rng)),
        ["zprv"] = (t, rng) => t.NoArg(ExtendedPrivateKey(0x04B2430C, rng)),
        ["xpub"] = (t, rng) => t.NoArg(ExtendedPublicKey(0x0488B21E, rng)),
        ["xprv-bad"] = (t, rng) => t.NoArg(CorruptBase58(ExtendedPrivateKey(0x0488ADE4, rng), 4, rng)),
        ["bip39"] = (t, rng) => Mnemonic(MnemonicLength(t), valid: true, rng),
        ["bip39-bad"] = (t, rng) => Mnemonic(MnemonicLength(t), valid: false, rng),
        ["eth-key"] = (t, rng) => t.NoArg(ToHex(PrivateKey(rng))),
        ["solana-key"] = (t, rng) => t.NoArg(Base58.Encode(Keypair(rng))),
        ["solana-key-json"] = (t, rng) => t.NoArg("[" + string.Join(", ", Keypair(rng).Select(b => b.ToString(CultureInfo.InvariantCulture))) + "]"),
        ["pem"] = Pem,
        ["literal"] = (t, _) => "{{" + t.RequireArg() + "}}",
    };

    /// <summary>The generator names, for documentation and rule linting.</summary>
    public static IEnumerable<string> Names => Generators.Keys.OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>True when <paramref name="text"/> holds at least one template that <see cref="Expand"/> would replace.</summary>
    public static bool HasTemplates(string text)
    {
        for (var open = FindOpen(text, 0); open >= 0; open = FindOpen(text, open + 2))
        {
            if (TemplateAt(text, open, out _) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces every template with a freshly generated value.</summary>
    /// <exception cref="ArgumentException">A template names an unknown generator or has a bad argument.</exception>
    public static string Expand(string text, Random rng)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        if (rng is null)
        {
            throw new ArgumentNullException(nameof(rng));
        }

        var open = FindOpen(text, 0);
        if (open < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 128);
        var copied = 0;
        while (open >= 0)
        {
            if (TemplateAt(text, open, out var close) is { } template)
            {
                result.Append(text, copied, open - copied);
                result.Append(Generate(template, rng));
                copied = close + 2;
                open = FindOpen(text, copied);
            }
            else
            {
                open = FindOpen(text, open + 2);
            }
        }

        result.Append(text, copied, text.Length - copied);
        return result.ToString();
    }

    /// <summary>The next "{{", taking the last two braces of a longer run so `{{{uuid}}}` is a brace around a template.</summary>
    private static int FindOpen(string text, int from)
    {
        var open = from < text.Length ? text.IndexOf("{{", from, StringComparison.Ordinal) : -1;
        while (open >= 0 && open + 2 < text.Length && text[open + 2] == '{')
        {
            open++;
        }

        return open;
    }

    private static Template? TemplateAt(string text, int open, out int close)
    {
        close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            return null;
        }

        var body = text.Substring(open + 2, close - open - 2);
        if (body.Length == 0 || body.Any(c => char.IsWhiteSpace(c) || c == '{' || c == '}'))
        {
            return null;
        }

        var colon = body.IndexOf(':');
        return colon < 0 ? new Template(body, body, null) : new Template(body, body.Substring(0, colon), body.Substring(colon + 1));
    }

    private static string Generate(Template template, Random rng)
    {
        if (!Generators.TryGetValue(template.Name, out var generator))
        {
            throw new ArgumentException($"unknown example template {template} (known: {string.Join(", ", Names)}; write {{{{literal:NAME}}}} for a literal {{{{NAME}}}})");
        }

        if (template.Name == "literal")
        {
            return generator(template, rng);
        }

        // The scanner drops placeholder-looking values ("xxxx", "dummy", ...); a random draw rarely is one, but an
        // example must be stable, so such a draw is replaced.
        for (var attempt = 0; ; attempt++)
        {
            var value = generator(template, rng);
            if (attempt >= 100 || !Placeholders.IsPlaceholder(value))
            {
                return value;
            }
        }
    }

    private static Func<Template, Random, string> Chars(string alphabet) =>
        (t, rng) => RandomString(alphabet, t.Length(), rng);

    private static string RandomString(string alphabet, int length, Random rng)
    {
        var chars = new char[length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[rng.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static byte[] RandomBytes(int count, Random rng)
    {
        var bytes = new byte[count];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static string ToHex(byte[] bytes)
    {
        var chars = new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Hex[bytes[i] >> 4];
            chars[(2 * i) + 1] = Hex[bytes[i] & 0xF];
        }

        return new string(chars);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Uuid(Random rng)
    {
        var hex = ToHex(RandomBytes(16, rng)).ToCharArray();
        hex[12] = '4';
        hex[16] = "89ab"[rng.Next(4)];
        var s = new string(hex);
        return $"{s.Substring(0, 8)}-{s.Substring(8, 4)}-{s.Substring(12, 4)}-{s.Substring(16, 4)}-{s.Substring(20)}";
    }

    private static string Jwt(Random rng)
    {
        var hs256 = rng.Next(2) == 0;
        var header = hs256 ? "{\"alg\":\"HS256\",\"typ\":\"JWT\"}" : "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        var issuedAt = 1_600_000_000 + rng.Next(150_000_000);
        var roles = new[] { "admin", "service", "user" };
        var payload = string.Format(
            CultureInfo.InvariantCulture,
            "{{\"sub\":\"{0}\",\"role\":\"{1}\",\"iat\":{2},\"exp\":{3}}}",
            Uuid(rng),
            roles[rng.Next(roles.Length)],
            issuedAt,
            issuedAt + (86_400 * (1 + rng.Next(3650))));
        return Base64Url(Encoding.UTF8.GetBytes(header)) + "." + Base64Url(Encoding.UTF8.GetBytes(payload)) + "." +
            Base64Url(RandomBytes(hs256 ? 32 : 256, rng));
    }

    private static string GitHubPrefix(Template t)
    {
        var arg = t.Arg ?? "ghp_";
        var prefix = arg.EndsWith("_", StringComparison.Ordinal) ? arg : arg + "_";
        if (Array.IndexOf(GitHubTokenValidator.Prefixes, prefix) < 0)
        {
            throw new ArgumentException($"example template {t}: the prefix must be one of {string.Join(", ", GitHubTokenValidator.Prefixes)}");
        }

        return prefix;
    }

    private static string GitHubToken(string prefix, Random rng)
    {
        var body = RandomString(Base62Checksum.Alphabet, Base62Checksum.BodyLength, rng);
        return prefix + body + Base62Checksum.ChecksumOf(body);
    }

    private static string NpmToken(Random rng) => GitHubToken(NpmTokenValidator.Prefix, rng);

    /// <summary>The same token with one checksum char changed: the shape holds, the checksum cannot.</summary>
    private static string BreakChecksum(string token, Random rng)
    {
        var i = token.Length - 1 - rng.Next(Base62Checksum.ChecksumLength);
        return ReplaceChar(token, i, Base62Checksum.Alphabet, rng);
    }

    private static string ReplaceChar(string text, int index, string alphabet, Random rng)
    {
        char c;
        do
        {
            c = alphabet[rng.Next(alphabet.Length)];
        }
        while (c == text[index]);

        return text.Substring(0, index) + c + text.Substring(index + 1);
    }

    /// <summary>One char after the first <paramref name="keep"/> (the version prefix) changed, redrawn until the Base58Check checksum fails.</summary>
    private static string CorruptBase58(string text, int keep, Random rng)
    {
        while (true)
        {
            var corrupt = ReplaceChar(text, keep + rng.Next(text.Length - keep), Base58.Alphabet, rng);
            if (Base58.DecodeCheck(corrupt) is null)
            {
                return corrupt;
            }
        }
    }

    private static byte[] PrivateKey(Random rng)
    {
        while (true)
        {
            var key = RandomBytes(Secp256k1.ScalarLength, rng);
            if (Secp256k1.IsValidPrivateKey(key, 0))
            {
                return key;
            }
        }
    }

    private static string Wif(byte version, bool compressed, Random rng)
    {
        var payload = new byte[compressed ? 34 : 33];
        payload[0] = version;
        Array.Copy(PrivateKey(rng), 0, payload, 1, Secp256k1.ScalarLength);
        if (compressed)
        {
            payload[33] = BitcoinWifValidator.CompressedMarker;
        }

        return Base58.EncodeCheck(payload);
    }

    private static string ExtendedPrivateKey(uint version, Random rng)
    {
        var payload = ExtendedKeyPrefix(version, rng);
        Array.Copy(PrivateKey(rng), 0, payload, Bip32PrivateKeyValidator.KeyDataOffset + 1, Secp256k1.ScalarLength);
        return Base58.EncodeCheck(payload);
    }

    private static string ExtendedPublicKey(uint version, Random rng)
    {
        var payload = ExtendedKeyPrefix(version, rng);
        byte[] x;
        do
        {
            x = RandomBytes(Secp256k1.ScalarLength, rng);
        }
        while (!Secp256k1.HasPointWithX(x, 0));

        payload[Bip32PrivateKeyValidator.KeyDataOffset] = (byte)(rng.Next(2) == 0 ? 0x02 : 0x03);
        Array.Copy(x, 0, payload, Bip32PrivateKeyValidator.KeyDataOffset + 1, Secp256k1.ScalarLength);
        return Base58.EncodeCheck(payload);
    }

    /// <summary>Version, depth, parent fingerprint, child number and chain code; a master key (depth 0) has zero parent and child.</summary>
    private static byte[] ExtendedKeyPrefix(uint version, Random rng)
    {
        var payload = new byte[Bip32PrivateKeyValidator.PayloadLength];
        payload[0] = (byte)(version >> 24);
        payload[1] = (byte)(version >> 16);
        payload[2] = (byte)(version >> 8);
        payload[3] = (byte)version;
        var depth = rng.Next(5);
        payload[4] = (byte)depth;
        if (depth > 0)
        {
            var parentAndChild = RandomBytes(8, rng);
            Array.Copy(parentAndChild, 0, payload, 5, 8);
        }

        Array.Copy(RandomBytes(32, rng), 0, payload, 13, 32);
        return payload;
    }

    private static int MnemonicLength(Template t)
    {
        if (t.Arg is null)
        {
            return 12;
        }

        if (int.TryParse(t.Arg, NumberStyles.None, CultureInfo.InvariantCulture, out var words) && words is >= 12 and <= 24 && words % 3 == 0)
        {
            return words;
        }

        throw new ArgumentException($"example template {t}: a mnemonic has 12, 15, 18, 21 or 24 words");
    }

    private static string Mnemonic(int words, bool valid, Random rng)
    {
        var indexes = Bip39.IndexesOf(RandomBytes(words * 4 / 3, rng));
        if (!valid)
        {
            // Move the checksum bits (the low bits of the last word) to another value: same entropy, wrong checksum.
            var checksumBits = words / 3;
            var mask = (1 << checksumBits) - 1;
            var last = indexes[indexes.Length - 1];
            var wrong = ((last & mask) + 1 + rng.Next(mask)) & mask;
            indexes[indexes.Length - 1] = (last & ~mask) | wrong;
        }

        return string.Join(" ", indexes.Select(Bip39.Word));
    }

    private static byte[] Keypair(Random rng)
    {
        while (true)
        {
            var bytes = RandomBytes(SolanaKeypairValidator.KeypairLength, rng);
            if (bytes.Distinct().Count() > 1)
            {
                return bytes;
            }
        }
    }

    private static string Pem(Template t, Random rng)
    {
        // DER starts as real keys of each kind start (so "MII..." prefixes look right), then random bytes of the usual size.
        var (label, prefix, randomCount, lineLength) = t.RequireArg() switch
        {
            "rsa" => ("RSA PRIVATE KEY", "308204a40201000282010100", 1180, 64),
            "ec" => ("EC PRIVATE KEY", "30770201010420", 114, 64),
            "pkcs8" => ("PRIVATE KEY", "308204be020100300d06092a864886f70d0101010500048204a8", 1192, 64),
            "encrypted" => ("ENCRYPTED PRIVATE KEY", "308205243056", 1280, 64),
            "openssh" => ("OPENSSH PRIVATE KEY", "", 0, 70),
            _ => throw new ArgumentException($"example template {t}: the key kind must be rsa, ec, pkcs8, encrypted or openssh"),
        };

        var der = label == "OPENSSH PRIVATE KEY" ? OpenSshKey(rng) : FromHex(prefix).Concat(RandomBytes(randomCount, rng)).ToArray();
        var body = Convert.ToBase64String(der);
        var block = new StringBuilder(body.Length + 80);
        block.Append("-----BEGIN ").Append(label).Append("-----\n");
        for (var i = 0; i < body.Length; i += lineLength)
        {
            block.Append(body, i, Math.Min(lineLength, body.Length - i)).Append('\n');
        }

        return block.Append("-----END ").Append(label).Append("-----").ToString();
    }

    /// <summary>An openssh-key-v1 blob: unencrypted header, one ssh-ed25519 public key, then a random private section.</summary>
    private static byte[] OpenSshKey(Random rng)
    {
        var blob = new List<byte>(300);
        blob.AddRange(Encoding.ASCII.GetBytes("openssh-key-v1\0"));
        AddString(blob, Encoding.ASCII.GetBytes("none"));
        AddString(blob, Encoding.ASCII.GetBytes("none"));
        AddString(blob, Array.Empty<byte>());
        blob.AddRange(new byte[] { 0, 0, 0, 1 });
        var publicKey = new List<byte>();
        AddString(publicKey, Encoding.ASCII.GetBytes("ssh-ed25519"));
        AddString(publicKey, RandomBytes(32, rng));
        AddString(blob, publicKey.ToArray());
        blob.AddRange(RandomBytes(206, rng));
        return blob.ToArray();
    }

    private static void AddString(List<byte> blob, byte[] value)
    {
        blob.Add((byte)(value.Length >> 24));
        blob.Add((byte)(value.Length >> 16));
        blob.Add((byte)(value.Length >> 8));
        blob.Add((byte)value.Length);
        blob.AddRange(value);
    }

    private static byte[] FromHex(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Convert.ToByte(hex.Substring(i * 2, 2), 16);
        }

        return bytes;
    }

    /// <summary>One parsed `{{name:arg}}`; <see cref="Text"/> is what was written, for error messages.</summary>
    private sealed class Template
    {
        public Template(string text, string name, string? arg)
        {
            Text = text;
            Name = name;
            Arg = arg;
        }

        public string Text { get; }

        public string Name { get; }

        public string? Arg { get; }

        public string NoArg(string value) =>
            Arg is null ? value : throw new ArgumentException($"example template {this} takes no argument");

        public string RequireArg() =>
            Arg is { Length: > 0 } arg ? arg : throw new ArgumentException($"example template {this} needs an argument ({{{{{Name}:...}}}})");

        public int Length() =>
            int.TryParse(Arg, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxLength
                ? n
                : throw new ArgumentException($"example template {this} needs a length from 0 to {MaxLength} ({{{{{Name}:N}}}})");

        public override string ToString() => "{{" + Text + "}}";
    }
}
