// Checks an audit log's hash chain: any edited, removed, inserted or reordered line is reported by line number.
using System.Text;
using System.Text.Json;

namespace SecretScan.Revocation;

public sealed record AuditProblem(int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}

public sealed record AuditVerification
{
    public int Entries { get; init; }

    /// <summary>Hash of the last intact line, or <see cref="AuditLog.Genesis"/> for an empty log.</summary>
    public string Head { get; init; } = AuditLog.Genesis;

    public IReadOnlyList<AuditProblem> Problems { get; init; } = Array.Empty<AuditProblem>();

    public bool IsIntact => Problems.Count == 0;
}

public static class AuditLogVerifier
{
    private const int MaxProblems = 50;

    /// <summary>
    /// Verifies every line. With <paramref name="expectedHead"/> (a hash recorded after an earlier run), also checks
    /// that line is still in the log, which catches lines cut from the end, the one change a chain cannot see alone.
    /// </summary>
    public static AuditVerification Verify(string path, string? expectedHead = null)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        return VerifyText(Encoding.UTF8.GetString(bytes), expectedHead);
    }

    /// <summary>Verifies the log's text; see <see cref="Verify(string, string?)"/>.</summary>
    public static AuditVerification VerifyText(string text, string? expectedHead = null)
    {
        var problems = new List<AuditProblem>();
        var previous = AuditLog.Genesis;
        long expectedSequence = 1;
        var entries = 0;
        var sawExpected = expectedHead is null;
        var lines = text.Split('\n');
        var count = lines.Length;
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            problems.Add(new AuditProblem(count, "the last line is incomplete (no newline): the log was cut or a write was interrupted"));
        }
        else
        {
            count--;
        }

        for (var i = 0; i < count && problems.Count < MaxProblems; i++)
        {
            var number = i + 1;
            var line = lines[i];
            if (line.Length == 0)
            {
                problems.Add(new AuditProblem(number, "empty line"));
                continue;
            }

            var split = AuditLog.Split(line);
            if (split is null)
            {
                problems.Add(new AuditProblem(number, "no hash field at the end of the line: not an audit entry, or edited"));
                continue;
            }

            var (body, stated) = split.Value;
            if (AuditLog.Hash(body) != stated)
            {
                problems.Add(new AuditProblem(number, "the line does not match its hash: it was edited"));
            }

            string? prev = null;
            long? sequence = null;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.TryGetProperty("prev", out var p) && p.ValueKind == JsonValueKind.String)
                {
                    prev = p.GetString();
                }

                if (root.TryGetProperty("seq", out var s) && s.TryGetInt64(out var n))
                {
                    sequence = n;
                }
            }
            catch (JsonException)
            {
                problems.Add(new AuditProblem(number, "not valid JSON"));
            }

            if (prev != previous)
            {
                problems.Add(new AuditProblem(number, number == 1
                    ? "the first entry does not start the chain: lines before it were removed, or it was moved"
                    : "does not chain to the line before (its \"prev\" is not that line's hash): a line was removed, inserted or moved"));
            }

            if (sequence != expectedSequence)
            {
                problems.Add(new AuditProblem(number, $"entry number {sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} where {expectedSequence} was due"));
            }

            previous = stated;
            expectedSequence = (sequence ?? expectedSequence) + 1;
            entries++;
            if (stated == expectedHead)
            {
                sawExpected = true;
            }
        }

        if (!sawExpected)
        {
            problems.Add(new AuditProblem(0, $"the expected head {expectedHead} is not in the log: entries were cut from the end or the log was replaced"));
        }

        return new AuditVerification { Entries = entries, Head = previous, Problems = problems };
    }
}
