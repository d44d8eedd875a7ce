// Reads and writes baseline files: one accepted finding a line, sorted, so they diff cleanly and merge line by line
// (git's `merge=union` driver works on them). Format: see README.md, "Baseline files".
using System.Text;

namespace SecretScan.Reporting;

/// <summary>A baseline file that cannot be used; the message names the file and line.</summary>
public sealed class BaselineFormatException : Exception
{
    public BaselineFormatException(string message)
        : base(message)
    {
    }
}

public static class BaselineFile
{
    /// <summary>The conventional name at a repository's root.</summary>
    public const string DefaultFileName = ".secretscan-baseline";

    private const string Header = "# secretscan baseline v1";

    /// <summary>
    /// Writes the header comment, then "rule-id secret-hash fingerprint" per entry, sorted, '\n' line ends, UTF-8
    /// without a byte order mark. The same entries always give the same bytes.
    /// </summary>
    public static void Write(Baseline baseline, TextWriter writer)
    {
        writer.Write(Header + ": accepted findings as rule id, secret hash and fingerprint (no secrets). Update with `secretscan baseline update`.\n");
        foreach (var e in baseline.Entries)
        {
            writer.Write(e.RuleId);
            writer.Write(' ');
            writer.Write(e.SecretHash);
            writer.Write(' ');
            writer.Write(e.Fingerprint);
            writer.Write('\n');
        }
    }

    /// <summary>Writes to <paramref name="path"/> through a temporary file, so a reader never sees half a baseline.</summary>
    public static void Write(Baseline baseline, string path)
    {
        var full = Path.GetFullPath(path);
        if (!OperatingSystem.IsWindows() && full.StartsWith("/dev/", StringComparison.Ordinal))
        {
            // A device (/dev/stdout): write in place; moving a file over it would replace the device.
            using var device = new StreamWriter(new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false));
            Write(baseline, device);
            return;
        }

        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            Write(baseline, writer);
        }

        File.Move(temp, full, overwrite: true);
    }

    public static Baseline Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new BaselineFormatException($"{path}: baseline file not found (create one with `secretscan baseline create`)");
        }
        catch (DirectoryNotFoundException)
        {
            throw new BaselineFormatException($"{path}: baseline file not found (create one with `secretscan baseline create`)");
        }

        return Parse(path, text);
    }

    /// <summary>Parses baseline text; blank lines and '#' comments are ignored (so are a merge's duplicate lines).</summary>
    public static Baseline Parse(string path, string text)
    {
        var entries = new List<BaselineEntry>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("<<<<<<<", StringComparison.Ordinal) || line.StartsWith("=======", StringComparison.Ordinal) || line.StartsWith(">>>>>>>", StringComparison.Ordinal))
            {
                throw new BaselineFormatException($"{path}:{number}: unresolved merge conflict marker; keep the lines of both sides (baselines are sets) and remove the markers");
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !IsHex(parts[1], 64) || !IsHex(parts[2], 32))
            {
                throw new BaselineFormatException($"{path}:{number}: expected 'rule-id secret-hash fingerprint' (64 and 32 hex digits)");
            }

            entries.Add(new BaselineEntry(parts[0], parts[1], parts[2]));
        }

        return new Baseline(entries);
    }

    private static bool IsHex(string s, int length) => s.Length == length && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
