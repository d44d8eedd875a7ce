// Maps offsets in a scanned value back to source spans: exact inside literals, the whole expression otherwise.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace SecretScan.Analyzers;

/// <summary>A piece of a value as written: a literal's text (with its character map) or a `{hole}`.</summary>
internal readonly struct ValuePart
{
    public ValuePart(int valueStart, int length, TextSpan span, int[]? map, SyntaxToken token)
    {
        ValueStart = valueStart;
        Length = length;
        Span = span;
        Map = map;
        Token = token;
    }

    public int ValueStart { get; }

    public int Length { get; }

    public TextSpan Span { get; }

    /// <summary>Offsets of each value character in the token text (see <see cref="LiteralText.Map"/>), or null.</summary>
    public int[]? Map { get; }

    /// <summary>The literal or interpolated-text token; default for a hole.</summary>
    public SyntaxToken Token { get; }
}

internal sealed class ValueSite
{
    private readonly List<ValuePart> parts;
    private readonly bool folded;

    public ValueSite(ExpressionSyntax top, List<ValuePart> parts, bool folded, string value)
    {
        Top = top;
        this.parts = parts;
        this.folded = folded;
        Value = value;
    }

    /// <summary>The expression that holds the whole value (a literal, a concatenation, an array).</summary>
    public ExpressionSyntax Top { get; }

    public string Value { get; }

    /// <summary>The source span of value characters [start, start + length).</summary>
    public TextSpan Locate(int start, int length, string value)
    {
        var secret = value.Substring(start, length);
        if (folded)
        {
            // The value came from constants elsewhere; point at the literal here that holds the secret, if one does.
            foreach (var part in parts)
            {
                if (part.Token != default && part.Token.ValueText.IndexOf(secret, StringComparison.Ordinal) is var at && at >= 0 && part.Map is { } map)
                {
                    return TextSpan.FromBounds(part.Span.Start + map[at], part.Span.Start + map[at + length]);
                }
            }

            return Top.Span;
        }

        var first = PartAt(start);
        var last = PartAt(start + length - 1);
        if (first < 0 || last < 0)
        {
            return Top.Span;
        }

        var begin = Position(parts[first], start, secret, isEnd: false);
        var end = Position(parts[last], start + length, secret, isEnd: true);
        return end > begin ? TextSpan.FromBounds(begin, end) : Top.Span;
    }

    private int PartAt(int offset)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            if (offset >= parts[i].ValueStart && offset < parts[i].ValueStart + parts[i].Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static int Position(ValuePart part, int offset, string secret, bool isEnd)
    {
        var local = offset - part.ValueStart;
        if (part.Map is { } map && local >= 0 && local < map.Length)
        {
            return part.Span.Start + map[local];
        }

        // Interpolated text: find the secret's piece in the token text as written; else the whole part.
        if (part.Token != default)
        {
            var piece = isEnd ? secret.Substring(Math.Max(0, secret.Length - Math.Min(secret.Length, local))) : secret.Substring(0, Math.Min(secret.Length, part.Length - local));
            var at = piece.Length > 0 ? part.Token.Text.IndexOf(piece, StringComparison.Ordinal) : -1;
            if (at >= 0)
            {
                return part.Span.Start + at + (isEnd ? piece.Length : 0);
            }
        }

        return isEnd ? part.Span.End : part.Span.Start;
    }
}
