// The JSON settings both JSON formats share, and the bridge from Utf8JsonWriter to a TextWriter or a Stream.
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecretScan.Reporting;

internal static class JsonOutput
{
    /// <summary>
    /// Two-space indent and '\n' on every OS, so golden files and diffs are the same everywhere. The relaxed encoder
    /// keeps non-ASCII paths readable; the output is never embedded in HTML, which is what the strict one guards.
    /// </summary>
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(Stream stream, Action<Utf8JsonWriter> write)
    {
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            write(json);
        }

        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    public static void Write(TextWriter writer, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            write(json);
        }

        writer.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        writer.Write('\n');
        writer.Flush();
    }

    /// <summary>ISO 8601 in UTC with milliseconds, the form SARIF's date-time properties use.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
