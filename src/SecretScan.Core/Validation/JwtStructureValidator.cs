// jwt-structure: a JWS compact token whose header is a JSON object naming "alg" and whose payload is a JSON object.
using System.Text;

namespace SecretScan.Core.Validation;

/// <remarks>
/// A light textual check, no JSON parser: enough to tell a token from three dotted base64 blobs.
/// Unsecured tokens (alg "none", empty signature) pass: they still carry claims someone may replay.
/// </remarks>
internal sealed class JwtStructureValidator : ISecretValidator
{
    public string Id => "jwt-structure";

    public bool IsValid(string secret)
    {
        var firstDot = secret.IndexOf('.');
        var secondDot = firstDot < 0 ? -1 : secret.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot <= firstDot + 1 || secret.IndexOf('.', secondDot + 1) >= 0)
        {
            return false;
        }

        var header = Base64Text.Decode(secret, 0, firstDot, urlSafe: true);
        var payload = Base64Text.Decode(secret, firstDot + 1, secondDot - firstDot - 1, urlSafe: true);
        var signature = Base64Text.Decode(secret, secondDot + 1, secret.Length - secondDot - 1, urlSafe: true);
        return header is not null && payload is not null && signature is not null &&
            IsHeader(Encoding.UTF8.GetString(header)) && Encoding.UTF8.GetString(payload).TrimStart().StartsWith("{", StringComparison.Ordinal);
    }

    private static bool IsHeader(string json)
    {
        json = json.Trim();
        if (json.Length < 2 || json[0] != '{' || json[json.Length - 1] != '}')
        {
            return false;
        }

        for (var at = json.IndexOf("\"alg\"", StringComparison.Ordinal); at >= 0; at = json.IndexOf("\"alg\"", at + 5, StringComparison.Ordinal))
        {
            var i = at + 5;
            while (i < json.Length && char.IsWhiteSpace(json[i]))
            {
                i++;
            }

            if (i < json.Length && json[i] == ':')
            {
                return true;
            }
        }

        return false;
    }
}
