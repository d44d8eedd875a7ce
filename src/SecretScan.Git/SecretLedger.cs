// Every place each distinct secret was seen across blobs, keyed by (rule, secret hash), plus the lines that held one,
// so that a line skipped as already seen still counts as an occurrence of the secret it carries.
using System.Text;
using SecretScan.Core;

namespace SecretScan.Git;

/// <summary>One place a secret was seen: a blob and the position inside it.</summary>
internal readonly record struct Occurrence(ObjectKey Blob, int Line, int Column, int EndLine, int EndColumn, string Snippet);

/// <summary>One distinct secret (rule + secret hash) and every place it was seen.</summary>
internal sealed class SecretSighting
{
    // One entry per blob holds almost every place (a secret rarely sits twice in one file version): 64 bytes a blob.
    private readonly Dictionary<ObjectKey, Place> first = new();
    private List<Occurrence>? more;

    public SecretSighting(Finding template) => Template = template;

    /// <summary>The first finding seen: rule, secret, validation and entropy are the same for every occurrence.</summary>
    public Finding Template { get; }

    public IEnumerable<Occurrence> Occurrences =>
        first.Select(kv => new Occurrence(kv.Key, kv.Value.Line, kv.Value.Column, kv.Value.EndLine, kv.Value.EndColumn, kv.Value.Snippet))
            .Concat(more ?? Enumerable.Empty<Occurrence>());

    public bool Add(Occurrence o)
    {
        var place = new Place(o.Line, o.Column, o.EndLine, o.EndColumn, o.Snippet);
        if (first.TryAdd(o.Blob, place))
        {
            return true;
        }

        var known = first[o.Blob];
        if ((known.Line == o.Line && known.Column == o.Column) || (more?.Any(m => m.Blob.Equals(o.Blob) && m.Line == o.Line && m.Column == o.Column) ?? false))
        {
            return false;
        }

        (more ??= new List<Occurrence>()).Add(o);
        return true;
    }

    private readonly record struct Place(int Line, int Column, int EndLine, int EndColumn, string Snippet);
}

internal sealed class SecretLedger
{
    private readonly Dictionary<(string RuleId, string SecretHash), SecretSighting> sightings = new();
    private readonly Dictionary<ulong, List<LineCandidate>> lines = new();

    public IEnumerable<SecretSighting> Sightings => sightings.Values;

    public int Count => sightings.Count;

    /// <summary>Records a finding the engine made in <paramref name="blob"/>; with <paramref name="startLineHash"/>, the line becomes one to re-check where it is seen again.</summary>
    public void Record(Finding finding, ObjectKey blob, ulong? startLineHash)
    {
        var key = (finding.RuleId, finding.SecretHash);
        if (!sightings.TryGetValue(key, out var sighting))
        {
            sighting = new SecretSighting(finding);
            sightings.Add(key, sighting);
        }

        sighting.Add(new Occurrence(blob, finding.Line, finding.Column, finding.EndLine, finding.EndColumn, finding.Snippet));
        if (startLineHash is { } hash)
        {
            if (!lines.TryGetValue(hash, out var list))
            {
                list = new List<LineCandidate>(1);
                lines.Add(hash, list);
            }

            var candidate = new LineCandidate(sighting, finding.Column - 1, finding.EndLine - finding.Line, finding.EndColumn, finding.Secret, finding.Snippet);
            if (!list.Contains(candidate))
            {
                list.Add(candidate);
            }
        }
    }

    /// <summary>
    /// A line of <paramref name="blob"/> was skipped as already seen, and that line once held a secret: when the same
    /// secret sits at the same place here, count it as an occurrence. <paramref name="text"/> reads lines of the blob.
    /// </summary>
    public void Recheck(ulong hash, ObjectKey blob, int lineIndex, int lineCount, Func<int, int, string> text)
    {
        if (!lines.TryGetValue(hash, out var candidates))
        {
            return;
        }

        foreach (var c in candidates)
        {
            var last = lineIndex + c.LineSpan;
            if (last >= lineCount)
            {
                continue;
            }

            var s = text(lineIndex, last);
            if (c.Column + c.Secret.Length <= s.Length && string.CompareOrdinal(s, c.Column, c.Secret, 0, c.Secret.Length) == 0)
            {
                c.Sighting.Add(new Occurrence(blob, lineIndex + 1, c.Column + 1, lineIndex + 1 + c.LineSpan, c.EndColumn, c.Snippet));
            }
        }
    }

    private sealed record LineCandidate(SecretSighting Sighting, int Column, int LineSpan, int EndColumn, string Secret, string Snippet);
}

/// <summary>Scans the lines of a text blob that a mask keeps, with context lines around them, one fragment per run of lines.</summary>
internal static class SegmentScan
{


    /// <summary>
    /// Scans runs of kept lines widened by <paramref name="context"/> lines each side (multi-line secrets such as PEM
    /// blocks, and rules that look for a keyword on a nearby line, need them). Fragments never join across a gap, so a
    /// match cannot span lines that are not next to each other in the file. Line numbers are the blob's own.
    /// </summary>
    public static void Run(Scanner scanner, ReadOnlySpan<byte> text, LineIndex lines, ReadOnlySpan<bool> keep, int context, string path, ScanResult result, ref long scannedBytes)
    {
        var n = lines.Count;
        var i = 0;
        while (i < n)
        {
            if (!keep[i])
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - context);
            var end = i;

            // Extend while another kept line is within reach of the widened run.
            while (true)
            {
                var j = end + 1;
                var limit = Math.Min(n - 1, end + (2 * context) + 1);
                var next = -1;
                for (; j <= limit; j++)
                {
                    if (keep[j])
                    {
                        next = j;
                        break;
                    }
                }

                if (next < 0)
                {
                    break;
                }

                end = next;
            }

            var last = Math.Min(n - 1, end + context);
            var from = lines.Start(start);
            var to = lines.Start(last + 1);
            scannedBytes += to - from;
            var fragment = Encoding.UTF8.GetString(text[from..to]);
            scanner.Scan(new TextFragment(fragment, path, start + 1), result);
            i = end + 1;
        }
    }
}
