// Writes the report of a git scan: SARIF as one run per category (tree, history), JSON and text as one report.
using SecretScan.Reporting;

namespace SecretScan.Cli;

internal static class ReportOutput
{
    /// <summary>
    /// Writes <paramref name="runs"/>: SARIF gets one run each (GitHub code scanning keeps their alerts apart), the other
    /// formats get one report with every run's findings, warnings and counts together.
    /// </summary>
    public static void Write(IReadOnlyList<ScanReport> runs, ScanSettings settings)
    {
        var color = settings.Output is null && settings.Format == ReportFormat.Text && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var options = new ReportOptions { Redact = settings.Redact, Color = color };
        Action<Stream> write = settings.Format == ReportFormat.Sarif
            ? stream => new SarifReportWriter().Write(runs, stream, options)
            : stream => ReportFormats.Find(settings.Format.ToString())!.Write(Merge(runs), stream, options);

        if (settings.Output is null)
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            return;
        }

        // Write to a temp file next to the target and move it in place, so a reader never sees half a report.
        // Devices (/dev/null, /dev/stdout) are written directly: moving a file over one replaces the device.
        var full = Path.GetFullPath(settings.Output);
        var temp = IsDevice(full) ? full : full + ".tmp";
        try
        {
            using (var file = new FileStream(temp, temp == full ? FileMode.Open : FileMode.Create, FileAccess.Write, temp == full ? FileShare.ReadWrite : FileShare.None))
            {
                write(file);
            }

            if (temp != full)
            {
                File.Move(temp, full, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{settings.Output}: cannot write the report: {e.Message}");
        }
    }

    /// <summary>A device or other special file, which must be written in place, never replaced (Unix: under /dev or /proc).</summary>
    public static bool IsDevice(string fullPath) =>
        !OperatingSystem.IsWindows() && (fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal));

    private static ScanReport Merge(IReadOnlyList<ScanReport> runs) => runs.Count == 1 ? runs[0] : runs[0] with
    {
        Findings = runs.SelectMany(r => r.Findings).ToArray(),
        Warnings = runs.SelectMany(r => r.Warnings).ToArray(),
    };
}
