// The append-only audit log: one JSON line per action, each chained to the one before by hash, flushed to disk per line.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SecretScan.Revocation;

/// <summary>The log cannot be opened or appended to safely.</summary>
public sealed class AuditLogException : Exception
{
    public AuditLogException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Appends entries to a JSON-lines file. Each line is a JSON object whose last two fields are <c>"prev"</c> (the hash
/// of the line before, 64 zeros for the first) and <c>"hash"</c>: the lowercase hex SHA-256 of the line's UTF-8 bytes
/// up to <c>,"hash":</c> with a closing <c>}</c> appended. So a line cannot change without its hash changing, and a
/// line cannot be edited, removed or moved without breaking the next line's "prev". Each line goes to the file in one
/// write and is flushed to disk before the next action, so a crash loses nothing already done and leaves whole lines.
/// One writer at a time: a lock file next to the log keeps two runs from forking the chain.
/// </summary>
public sealed class AuditLog : IDisposable
{
    public const int FormatVersion = 1;

    public static readonly string Genesis = new('0', 64);

    private const string HashField = ",\"hash\":\"";
    private const int TailProbe = 64 << 10;

    private readonly FileStream file;
    private readonly FileStream lockFile;
    private readonly object gate = new();
    private readonly TimeProvider time;

    private AuditLog(string path, FileStream file, FileStream lockFile, string head, long sequence, string toolVersion, TimeProvider time)
    {
        Path = path;
        this.file = file;
        this.lockFile = lockFile;
        Head = head;
        Sequence = sequence;
        ToolVersion = toolVersion;
        this.time = time;
        RunId = Guid.NewGuid().ToString("N");
    }

    public string Path { get; }

    /// <summary>Hash of the last line: record it elsewhere (a CI log) to detect a truncated tail later.</summary>
    public string Head { get; private set; }

    /// <summary>Number of the last entry (1-based); 0 for an empty log.</summary>
    public long Sequence { get; private set; }

    public string ToolVersion { get; }

    /// <summary>Groups the entries of one run.</summary>
    public string RunId { get; }

    /// <summary>Opens (or creates) the log and its folder, and checks the last line, which the next one chains to.</summary>
    public static AuditLog Open(string path, string toolVersion, TimeProvider? time = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        FileStream? lockFile = null;
        FileStream? file = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            try
            {
                lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e)
            {
                throw new AuditLogException($"{path}: another secretscan run is writing this audit log", e);
            }

            // bufferSize 0: every Write is one write(2) of a whole line, so a kill never leaves half a line behind.
            file = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            var (head, sequence) = ReadTail(file, path);
            file.Seek(0, SeekOrigin.End);
            return new AuditLog(full, file, lockFile, head, sequence, toolVersion, time ?? TimeProvider.System);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            lockFile?.Dispose();
            throw new AuditLogException($"{path}: cannot open the audit log: {e.Message}", e);
        }
        catch
        {
            file?.Dispose();
            lockFile?.Dispose();
            throw;
        }
    }

    /// <summary>Appends one action and flushes it to disk; returns the line written.</summary>
    public string Append(ActionResult result)
    {
        lock (gate)
        {
            var body = Body(result, Sequence + 1, Head);
            var hash = Hash(body);
            var line = body.Substring(0, body.Length - 1) + HashField + hash + "\"}";
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            try
            {
                file.Write(bytes, 0, bytes.Length);
                file.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                throw new AuditLogException($"{Path}: cannot append to the audit log: {e.Message}", e);
            }

            Head = hash;
            Sequence++;
            return line;
        }
    }

    public void Dispose()
    {
        file.Dispose();
        lockFile.Dispose();
    }

    /// <summary>SHA-256 of a line's body (the line without its hash field), lowercase hex.</summary>
    internal static string Hash(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    /// <summary>
    /// Splits a line into its body (what the hash covers) and its stated hash; null when the line does not end in
    /// a hash field of the expected form.
    /// </summary>
    internal static (string Body, string Hash)? Split(string line)
    {
        var at = line.LastIndexOf(HashField, StringComparison.Ordinal);
        if (at < 0 || line.Length != at + HashField.Length + 64 + 2 || !line.EndsWith("\"}", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = line.Substring(at + HashField.Length, 64);
        return hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? (line.Substring(0, at) + "}", hash) : null;
    }

    private string Body(ActionResult result, long sequence, string previous)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var secret = result.Secret;
            json.WriteStartObject();
            json.WriteNumber("v", FormatVersion);
            json.WriteNumber("seq", sequence);
            json.WriteString("time", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("tool", "SecretScan");
            json.WriteString("version", ToolVersion);
            json.WriteString("run", RunId);
            json.WriteString("user", Environment.UserName);
            json.WriteString("host", Environment.MachineName);
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteString("action", result.Action);
            json.WriteString("rule", secret.Rule.Id);
            json.WriteString("ruleName", secret.Rule.Name);
            json.WriteString("fingerprint", secret.Fingerprint);
            json.WriteString("secretHash", secret.SecretHash);
            json.WriteString("target", Provider.Scrub(result.Target, secret.Secret));
            json.WriteString("outcome", ActionResult.Name(result.Outcome));
            if (result.HttpStatus is { } status)
            {
                json.WriteNumber("httpStatus", status);
            }
            else
            {
                json.WriteNull("httpStatus");
            }

            json.WriteNumber("durationMs", (long)Math.Round(result.Duration.TotalMilliseconds));
            json.WriteStartArray("scopes");
            foreach (var scope in result.Verification?.Scopes ?? Array.Empty<string>())
            {
                json.WriteStringValue(scope);
            }

            json.WriteEndArray();
            json.WriteString("detail", Provider.Scrub(result.Detail, secret.Secret));
            json.WriteString("prev", previous);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The hash and number of the last line; the file must end with a whole, self-consistent line.</summary>
    private static (string Head, long Sequence) ReadTail(FileStream file, string path)
    {
        var length = file.Length;
        if (length == 0)
        {
            return (Genesis, 0);
        }

        var probe = (int)Math.Min(length, TailProbe);
        var bytes = new byte[probe];
        file.Seek(length - probe, SeekOrigin.Begin);
        file.ReadExactly(bytes, 0, probe);
        if (bytes[^1] != (byte)'\n')
        {
            throw new AuditLogException($"{path}: the audit log does not end with a whole line; run `secretscan audit verify {path}` and start a new log");
        }

        var text = Encoding.UTF8.GetString(bytes, 0, probe - 1);
        var last = text.Substring(text.LastIndexOf('\n') + 1);
        var split = Split(last);
        if (split is null || Hash(split.Value.Body) != split.Value.Hash)
        {
            throw new AuditLogException($"{path}: the last entry of the audit log is damaged; run `secretscan audit verify {path}` and start a new log");
        }

        long sequence;
        try
        {
            using var doc = JsonDocument.Parse(last);
            sequence = doc.RootElement.GetProperty("seq").GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new AuditLogException($"{path}: the last entry of the audit log has no sequence number", e);
        }

        return (split.Value.Hash, sequence);
    }
}
