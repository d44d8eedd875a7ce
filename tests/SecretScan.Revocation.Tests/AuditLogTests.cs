// The audit log's chain: every kind of tampering is caught, appends continue the chain, and no secret is ever written.
using System.Text.Json;

namespace SecretScan.Revocation.Tests;

public sealed class AuditLogTests : IDisposable
{
    private readonly string path = Fakes.TempPath("audit/log.jsonl");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);

    [Fact]
    public void Entries_chain_verify_and_hold_no_secret()
    {
        var tokens = Write(5);

        var result = AuditLogVerifier.Verify(path);
        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal(5, result.Entries);
        var text = File.ReadAllText(path);
        Assert.All(tokens, t => Assert.DoesNotContain(t, text));

        var lines = File.ReadAllLines(path);
        using var first = JsonDocument.Parse(lines[0]);
        var entry = first.RootElement;
        Assert.Equal(AuditLog.Genesis, entry.GetProperty("prev").GetString());
        Assert.Equal(1, entry.GetProperty("seq").GetInt32());
        foreach (var field in new[] { "time", "version", "user", "host", "action", "rule", "fingerprint", "secretHash", "target", "outcome", "httpStatus", "durationMs" })
        {
            Assert.True(entry.TryGetProperty(field, out _), field);
        }

        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(entry.GetProperty("hash").GetString(), second.RootElement.GetProperty("prev").GetString());
    }

    [Fact]
    public void Reopening_continues_the_chain()
    {
        Write(2);
        Write(2);

        var result = AuditLogVerifier.Verify(path);
        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal(4, result.Entries);
    }

    [Fact]
    public void An_edited_line_is_detected()
    {
        Write(4);
        var lines = File.ReadAllLines(path);
        lines[1] = lines[1].Replace("\"outcome\":\"revoked\"", "\"outcome\":\"rejected\"", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);

        var result = AuditLogVerifier.Verify(path);
        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Line == 2 && p.Message.Contains("edited"));
    }

    [Fact]
    public void An_edited_last_line_is_detected()
    {
        Write(3);
        var lines = File.ReadAllLines(path);
        lines[2] = lines[2].Replace("\"httpStatus\":200", "\"httpStatus\":201", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);

        Assert.Contains(AuditLogVerifier.Verify(path).Problems, p => p.Line == 3);
    }

    [Fact]
    public void A_removed_line_is_detected()
    {
        Write(4);
        var lines = File.ReadAllLines(path).ToList();
        lines.RemoveAt(1);
        File.WriteAllLines(path, lines);

        var result = AuditLogVerifier.Verify(path);
        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Line == 2 && p.Message.Contains("does not chain"));
    }

    [Fact]
    public void Reordered_lines_are_detected()
    {
        Write(4);
        var lines = File.ReadAllLines(path);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        File.WriteAllLines(path, lines);

        var result = AuditLogVerifier.Verify(path);
        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Line == 2);
    }

    [Fact]
    public void A_cut_tail_is_detected_against_a_recorded_head()
    {
        Write(3);
        var head = AuditLogVerifier.Verify(path).Head;
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Take(2));

        Assert.True(AuditLogVerifier.Verify(path).IsIntact);
        var result = AuditLogVerifier.Verify(path, expectedHead: head);
        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Message.Contains("expected head"));
    }

    [Fact]
    public void A_second_writer_is_refused_and_a_damaged_tail_blocks_appending()
    {
        using (var first = AuditLog.Open(path, "0.1.0"))
        {
            var busy = Assert.Throws<AuditLogException>(() => AuditLog.Open(path, "0.1.0"));
            Assert.Contains("another secretscan run", busy.Message);
        }

        Write(1);
        File.AppendAllText(path, "{\"v\":1,\"seq\":2,\"half");
        var damaged = Assert.Throws<AuditLogException>(() => AuditLog.Open(path, "0.1.0"));
        Assert.Contains("whole line", damaged.Message);
        Assert.Contains(AuditLogVerifier.Verify(path).Problems, p => p.Message.Contains("incomplete"));
    }

    private string[] Write(int count)
    {
        var tokens = Enumerable.Range(0, count).Select(_ => Fakes.GitHubToken()).ToArray();
        using var log = AuditLog.Open(path, "0.1.0");
        foreach (var token in tokens)
        {
            log.Append(new ActionResult
            {
                Secret = Fakes.Secret(Fakes.GitHubPat, token),
                Action = ActionKind.Revoke,
                Target = "github",
                Outcome = Outcome.Revoked,
                HttpStatus = 200,
                Duration = TimeSpan.FromMilliseconds(12),
                Detail = "echoed " + token,
            });
        }

        return tokens;
    }
}
