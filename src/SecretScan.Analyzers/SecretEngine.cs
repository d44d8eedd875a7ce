// The scanner every compilation shares: Core's built-in rule set, built once per compiler process on first use.
using SecretScan.Core;
using SecretScan.Core.Generated;

namespace SecretScan.Analyzers;

/// <summary>A secret found inside the value part of a virtual text, as offsets into that value.</summary>
internal readonly struct ValueFinding
{
    public ValueFinding(Finding finding, int start, int length)
    {
        Finding = finding;
        Start = start;
        Length = length;
    }

    public Finding Finding { get; }

    /// <summary>Offset of the secret in the value (clamped to it).</summary>
    public int Start { get; }

    public int Length { get; }
}

internal static class SecretEngine
{
    // Interpreted regexes: the analyzer scans many tiny texts, where compiling ~200 regexes costs more than it saves.
    private static readonly Lazy<Scanner> Shared = new(
        () => new Scanner(RuleSet.Create(BuiltInRules.All, new RuleSetOptions { CompileRegexes = false, RegexTimeout = TimeSpan.FromMilliseconds(500) })),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static Scanner Scanner => Shared.Value;

    /// <summary>Scans a whole text (an AdditionalFile); each finding comes with its offsets in the text.</summary>
    public static List<(Finding Finding, int Start, int End)> ScanText(string text, string path)
    {
        var found = new List<(Finding, int, int)>();
        var result = Scanner.Scan(new TextFragment(text, path));
        LineStarts? lines = null;
        foreach (var f in result.Findings)
        {
            // The engine counts lines by '\n' only; so does this, whatever other breaks the host's SourceText knows.
            lines ??= new LineStarts(text);
            var start = lines.Offset(f.Line, f.Column);
            var end = lines.Offset(f.EndLine, f.EndColumn);
            if (start >= 0 && end >= start && end <= text.Length)
            {
                found.Add((f, start, end));
            }
        }

        return found;
    }

    /// <summary>
    /// Scans a virtual text (`name = "prefix VALUE suffix"`) and keeps the findings whose secret overlaps VALUE,
    /// which lies at [<paramref name="valueStart"/>, +<paramref name="valueLength"/>) of the text.
    /// </summary>
    public static List<ValueFinding>? ScanValue(string text, int valueStart, int valueLength, string path)
    {
        var result = Scanner.Scan(new TextFragment(text, path));
        if (result.Findings.Count == 0)
        {
            return null;
        }

        List<ValueFinding>? found = null;
        LineStarts? lines = null;
        foreach (var f in result.Findings)
        {
            lines ??= new LineStarts(text);
            var start = lines.Offset(f.Line, f.Column);
            var end = lines.Offset(f.EndLine, f.EndColumn);
            var from = Math.Max(start, valueStart);
            var to = Math.Min(end, valueStart + valueLength);
            if (to <= from)
            {
                continue;
            }

            (found ??= new List<ValueFinding>()).Add(new ValueFinding(f, from - valueStart, to - from));
        }

        return found;
    }

    /// <summary>Turns the engine's 1-based line and column back into an offset.</summary>
    private sealed class LineStarts
    {
        private readonly List<int> starts = new() { 0 };

        public LineStarts(string text)
        {
            for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
            {
                starts.Add(i + 1);
            }
        }

        public int Offset(int line, int column)
        {
            var l = Math.Max(0, Math.Min(line - 1, starts.Count - 1));
            return starts[l] + column - 1;
        }
    }
}
