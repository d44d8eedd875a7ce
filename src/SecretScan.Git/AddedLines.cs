// Which lines of a new file version are added: lines whose content no older version held. A line moved within the
// file, or a block cut and pasted, is not new; a secret already there before is not something this change added.
using SecretScan.Core;

namespace SecretScan.Git;

internal static class AddedLines
{
    /// <summary>Marks in <paramref name="keep"/> the lines of <paramref name="lines"/> whose hash is not in <paramref name="old"/>; returns how many.</summary>
    public static int Mark(LineIndex lines, IReadOnlySet<ulong>? old, Span<bool> keep)
    {
        var added = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            keep[i] = old is null || !old.Contains(lines.Hash(i));
            if (keep[i])
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>The line hashes of a text, for comparing versions.</summary>
    public static HashSet<ulong> Hashes(ReadOnlySpan<byte> text, ulong seed)
    {
        using var lines = LineIndex.Build(text, seed);
        var set = new HashSet<ulong>(lines.Count);
        foreach (var h in lines.Hashes)
        {
            set.Add(h);
        }

        return set;
    }

    /// <summary>
    /// Scans the added lines of a text blob with their context, and keeps the findings that touch an added line
    /// (a secret whose every line was there before is not new, even when context lines were scanned with it).
    /// </summary>
    public static List<Finding> Scan(Scanner scanner, ReadOnlySpan<byte> text, LineIndex lines, IReadOnlySet<ulong>? old, int context, string path, List<ScanWarning> warnings, ref long scannedBytes)
    {
        var keep = new bool[lines.Count];
        return Mark(lines, old, keep) == 0 ? new List<Finding>() : Scan(scanner, text, lines, keep, context, path, warnings, ref scannedBytes);
    }

    /// <summary>As above, with the added lines already marked in <paramref name="keep"/>.</summary>
    public static List<Finding> Scan(Scanner scanner, ReadOnlySpan<byte> text, LineIndex lines, bool[] keep, int context, string path, List<ScanWarning> warnings, ref long scannedBytes)
    {
        var found = new List<Finding>();
        var result = new ScanResult();
        SegmentScan.Run(scanner, text, lines, keep, context, path, result, ref scannedBytes);
        foreach (var f in result.Findings)
        {
            for (var line = f.Line; line <= f.EndLine && line <= lines.Count; line++)
            {
                if (keep[line - 1])
                {
                    found.Add(f);
                    break;
                }
            }
        }

        warnings.AddRange(result.Warnings);
        return found;
    }
}
