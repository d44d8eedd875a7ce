// Paths as SARIF URIs: relative references for findings, a file URI for the scan root, percent-encoded per RFC 3986.
using System.Text;

namespace SecretScan.Reporting;

public static class ArtifactUri
{
    /// <summary>
    /// A path relative to the scan root as a relative reference: '/' separators, every segment percent-encoded.
    /// ':' is encoded too, so a first segment like "c:" cannot be read as a scheme.
    /// </summary>
    public static string Relative(string path)
    {
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized.Substring(2);
        }

        return Encode(normalized);
    }

    /// <summary>
    /// The file URI of an absolute folder, ending with '/' as originalUriBaseIds requires: "/home/a b" gives
    /// "file:///home/a%20b/", "C:\src" gives "file:///C:/src/", "\\server\share" gives "file://server/share/".
    /// </summary>
    public static string Folder(string absolutePath)
    {
        var uri = File(absolutePath);
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    /// <summary>The file URI of an absolute path (see <see cref="Folder"/>).</summary>
    public static string File(string absolutePath)
    {
        var path = absolutePath;
        if (LooksLikeWindows(path))
        {
            path = path.Replace('\\', '/');
        }

        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            // UNC: the server is the authority.
            var rest = path.Substring(2);
            var slash = rest.IndexOf('/');
            var host = slash < 0 ? rest : rest.Substring(0, slash);
            var tail = slash < 0 ? "" : rest.Substring(slash);
            return "file://" + Encode(host) + Encode(tail);
        }

        if (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]))
        {
            // The drive's colon stays literal: "file:///C:/" is how every consumer spells a Windows drive.
            return "file:///" + path.Substring(0, 2) + Encode(path.Substring(2));
        }

        return "file://" + Encode(path.StartsWith('/') ? path : "/" + path);
    }

    /// <summary>Percent-encodes UTF-8 bytes outside RFC 3986's unreserved and sub-delims characters, '@' and '/'.</summary>
    private static string Encode(string path)
    {
        var sb = new StringBuilder(path.Length + 8);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (IsLiteral(c))
            {
                sb.Append(c);
                continue;
            }

            int count;
            if (char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]))
            {
                count = Encoding.UTF8.GetBytes(path.AsSpan(i, 2), bytes);
                i++;
            }
            else
            {
                // A lone surrogate cannot be encoded; U+FFFD keeps the URI valid and visibly marks the loss.
                count = Encoding.UTF8.GetBytes(char.IsSurrogate(c) ? "\uFFFD" : c.ToString(), bytes);
            }

            for (var b = 0; b < count; b++)
            {
                sb.Append('%').Append("0123456789ABCDEF"[bytes[b] >> 4]).Append("0123456789ABCDEF"[bytes[b] & 0xF]);
            }
        }

        return sb.ToString();
    }

    private static bool IsLiteral(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/' or '@' or
            '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

    private static bool LooksLikeWindows(string path) =>
        path.StartsWith(@"\\", StringComparison.Ordinal) ||
        (path.Length >= 3 && path[1] == ':' && char.IsAsciiLetter(path[0]) && (path[2] == '\\' || path[2] == '/'));
}
