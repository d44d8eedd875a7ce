// pem-private-key: a PEM/OpenSSH/PGP private key block whose body is real base64 of key-sized data, not a redacted stub.
using System.Text;

namespace SecretScan.Core.Validation;

/// <remarks>
/// The block may sit inside a JSON or .env string with its newlines written as literal "\n". Header lines
/// (Proc-Type, DEK-Info, PGP's Version/Comment) and PGP's "=CRC" line are not body. Bodies such as "...",
/// "&lt;redacted&gt;" or a truncated "MIIE..." fail, and so does anything under 64 decoded bytes (no real key is that small).
/// </remarks>
internal sealed class PemPrivateKeyValidator : ISecretValidator
{
    public const int MinKeyBytes = 64;

    private const string BeginMarker = "-----BEGIN ";

    private const string Dashes = "-----";

    private const string PgpLabel = "PGP PRIVATE KEY BLOCK";

    public string Id => "pem-private-key";

    public bool IsValid(string secret)
    {
        var begin = secret.IndexOf(BeginMarker, StringComparison.Ordinal);
        if (begin < 0)
        {
            return false;
        }

        var labelStart = begin + BeginMarker.Length;
        var labelEnd = secret.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
        if (labelEnd < 0)
        {
            return false;
        }

        var label = secret.Substring(labelStart, labelEnd - labelStart);
        if (!IsPrivateKeyLabel(label))
        {
            return false;
        }

        var bodyStart = labelEnd + Dashes.Length;
        var end = secret.IndexOf("-----END " + label + Dashes, bodyStart, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var body = Base64Body(secret.Substring(bodyStart, end - bodyStart), label == PgpLabel);
        var bytes = Base64Text.Decode(body, urlSafe: false);
        return bytes is not null && bytes.Length >= MinKeyBytes;
    }

    private static bool IsPrivateKeyLabel(string label)
    {
        if (label.Length > 64 || !(label.EndsWith("PRIVATE KEY", StringComparison.Ordinal) || label == PgpLabel))
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!(c == ' ' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The base64 text of a block body: escaped newlines undone, header and checksum lines and whitespace dropped.</summary>
    private static string Base64Body(string body, bool pgp)
    {
        var text = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            // One or more backslashes before n or r: a newline escaped once (JSON, .env) or twice (JSON inside JSON).
            var j = i;
            while (j < body.Length && body[j] == '\\')
            {
                j++;
            }

            if (j > i && j < body.Length && (body[j] == 'n' || body[j] == 'r'))
            {
                text.Append('\n');
                i = j;
                continue;
            }

            if (j > i)
            {
                // A run of backslashes that escapes nothing: copy it whole, so a long run costs linear time, not quadratic
                // (found by fuzzing: 28 KB of backslashes in a block body).
                text.Append(body, i, j - i);
                i = j - 1;
                continue;
            }

            text.Append(body[i]);
        }

        var base64 = new StringBuilder(text.Length);
        foreach (var rawLine in text.ToString().Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.IndexOf(':') >= 0 || (pgp && line[0] == '='))
            {
                continue;
            }

            foreach (var c in line)
            {
                if (!char.IsWhiteSpace(c))
                {
                    base64.Append(c);
                }
            }
        }

        return base64.ToString();
    }
}
