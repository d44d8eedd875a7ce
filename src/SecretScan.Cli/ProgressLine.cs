// A one-line progress display on standard error, redrawn at most five times a second, only when stderr is a terminal.
using System.Diagnostics;

namespace SecretScan.Cli;

internal sealed class ProgressLine : IDisposable
{
    private readonly TextWriter error;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly object gate = new();
    private long lastDraw = -1000;
    private bool drawn;

    public ProgressLine(TextWriter error) => this.error = error;

    public void Update(long files, long bytes, long findings)
    {
        var now = clock.ElapsedMilliseconds;
        if (now - Interlocked.Read(ref lastDraw) < 200)
        {
            return;
        }

        lock (gate)
        {
            if (now - lastDraw < 200)
            {
                return;
            }

            lastDraw = now;
            drawn = true;
            error.Write($"\rscanned {files:N0} files, {bytes / (1024.0 * 1024.0):N1} MB, {findings:N0} findings ");
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (drawn)
            {
                error.Write("\r\u001b[K");
                drawn = false;
            }
        }
    }
}
