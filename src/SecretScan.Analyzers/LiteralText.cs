// Where each character of a string literal's value sits in its source text: regular, verbatim, raw, UTF-8 literals.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SecretScan.Analyzers;

internal static class LiteralText
{
    /// <summary>
    /// For each value character, its offset in the token's text, plus one entry for the value's end; null when the
    /// token is not a string literal this understands (the caller then points at the whole token).
    /// </summary>
    public static int[]? Map(SyntaxToken token)
    {
        var text = token.Text;
        var value = token.ValueText;
        int[]? map;
        switch (token.Kind())
        {
            case SyntaxKind.StringLiteralToken:
                map = text.StartsWith("@", StringComparison.Ordinal) ? Verbatim(text, 2, text.Length - 1) : Regular(text, 1, text.Length - 1);
                break;
            case SyntaxKind.Utf8StringLiteralToken:
                var body = text.Length - 2; // "u8"
                map = text.StartsWith("@", StringComparison.Ordinal) ? Verbatim(text, 2, body - 1) : Regular(text, 1, body - 1);
                break;
            case SyntaxKind.SingleLineRawStringLiteralToken:
                map = SingleLineRaw(text, text.Length);
                break;
            case SyntaxKind.Utf8SingleLineRawStringLiteralToken:
                map = SingleLineRaw(text, text.Length - 2);
                break;
            case SyntaxKind.MultiLineRawStringLiteralToken:
                map = MultiLineRaw(text, text.Length);
                break;
            case SyntaxKind.Utf8MultiLineRawStringLiteralToken:
                map = MultiLineRaw(text, text.Length - 2);
                break;
            case SyntaxKind.InterpolatedStringTextToken:
                map = null;
                break;
            default:
                return null;
        }

        // Trust the map only when it rebuilds exactly the value the compiler sees.
        return map is not null && map.Length == value.Length + 1 && Rebuilds(text, value, map) ? map : null;
    }

    /// <summary>Where <paramref name="secret"/> sits in an interpolated text part: found verbatim, or null.</summary>
    public static int IndexIn(SyntaxToken token, string secret) =>
        secret.Length == 0 ? -1 : token.Text.IndexOf(secret, StringComparison.Ordinal);

    private static bool Rebuilds(string text, string value, int[] map)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var at = map[i];
            if (at < 0 || at >= text.Length)
            {
                return false;
            }

            // An escape maps to its backslash; a verbatim "" to its first quote; plain characters to themselves.
            if (text[at] != value[i] && text[at] != '\\' && !(value[i] == '"' && text[at] == '"'))
            {
                return false;
            }
        }

        return true;
    }

    private static int[]? Regular(string text, int start, int end)
    {
        var map = new List<int>(end - start + 1);
        var i = start;
        while (i < end)
        {
            if (text[i] != '\\')
            {
                map.Add(i++);
                continue;
            }

            if (i + 1 >= end)
            {
                return null;
            }

            var e = text[i + 1];
            int length;
            var chars = 1;
            switch (e)
            {
                case 'x':
                    length = 2;
                    while (length < 6 && i + length < end && Uri.IsHexDigit(text[i + length]))
                    {
                        length++;
                    }

                    break;
                case 'u':
                    length = 6;
                    break;
                case 'U':
                    length = 10;
                    if (i + length <= end && uint.TryParse(text.Substring(i + 2, 8), System.Globalization.NumberStyles.HexNumber, null, out var cp) && cp > 0xFFFF)
                    {
                        chars = 2;
                    }

                    break;
                default:
                    length = 2;
                    break;
            }

            for (var k = 0; k < chars; k++)
            {
                map.Add(i);
            }

            i += length;
        }

        map.Add(end);
        return map.ToArray();
    }

    private static int[] Verbatim(string text, int start, int end)
    {
        var map = new List<int>(end - start + 1);
        for (var i = start; i < end; i++)
        {
            map.Add(i);
            if (text[i] == '"' && i + 1 < end && text[i + 1] == '"')
            {
                i++;
            }
        }

        map.Add(end);
        return map.ToArray();
    }

    private static int[]? SingleLineRaw(string text, int end)
    {
        var quotes = 0;
        while (quotes < end && text[quotes] == '"')
        {
            quotes++;
        }

        var contentEnd = end - quotes;
        if (contentEnd < quotes)
        {
            return null;
        }

        var map = new int[contentEnd - quotes + 1];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = quotes + i;
        }

        return map;
    }

    private static int[]? MultiLineRaw(string text, int end)
    {
        var quotes = 0;
        while (quotes < end && text[quotes] == '"')
        {
            quotes++;
        }

        // Lines of the token: the opening line, content lines, and the closing line (indentation + quotes).
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < end; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= end || text[i + 1] != '\n')))
            {
                lineStarts.Add(i + 1);
            }
        }

        if (lineStarts.Count < 3)
        {
            return null;
        }

        var closing = lineStarts[lineStarts.Count - 1];
        var indent = 0;
        while (closing + indent < end && (text[closing + indent] == ' ' || text[closing + indent] == '\t'))
        {
            indent++;
        }

        var map = new List<int>();
        for (var l = 1; l < lineStarts.Count - 1; l++)
        {
            var lineStart = lineStarts[l];
            var lineEnd = lineStarts[l + 1]; // includes the line break
            var contentEnd = lineEnd;
            while (contentEnd > lineStart && (text[contentEnd - 1] == '\n' || text[contentEnd - 1] == '\r'))
            {
                contentEnd--;
            }

            var from = Math.Min(lineStart + indent, contentEnd);
            for (var i = from; i < contentEnd; i++)
            {
                map.Add(i);
            }

            // The break after the last content line belongs to the closing delimiter, not the value.
            if (l < lineStarts.Count - 2)
            {
                for (var i = contentEnd; i < lineEnd; i++)
                {
                    map.Add(i);
                }
            }
        }

        map.Add(map.Count > 0 ? map[map.Count - 1] + 1 : closing);
        return map.ToArray();
    }
}
