// One `secretscan scan` run: rules, engine, walk, report, exit code. Results are written even when some files failed.
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Reporting;

namespace SecretScan.Cli;

internal static class ScanRun
{
    /// <param name="observe">Sees the report before it is written (`ci github` turns it into annotations and a summary).</param>
    public static int Execute(ScanSettings settings, Action<IReadOnlyList<ScanReport>>? observe = null)
    {
        var rules = RuleCatalog.Resolve(settings.Config, settings.RulesPath);
        var ruleSet = RuleSet.Create(rules, settings.EngineOptions());
        if (!settings.Redact)
        {
            Console.Error.WriteLine("secretscan: warning: --no-redact prints secrets in full; do not use it where logs are kept.");
        }

        var walker = new FolderWalker(settings.Root, settings.Include, settings.Exclude);
        using var progress = settings.Progress ? new ProgressLine(Console.Error) : null;
        var scan = new FolderScan(new Scanner(ruleSet), settings.MaxFileSize, settings.Threads)
        {
            OnProgress = progress is null ? null : progress.Update,
        };
        var result = scan.Run(walker);
        progress?.Dispose();
        if (settings.ProfileRules)
        {
            PrintProfile(ruleSet);
        }
        using var revocation = RevocationRun.Start(settings.Config, settings.Revocation);
        var findings = BaselineFilter.Apply(settings.Config.Suppress(result.Findings), settings.Baseline);
        findings = revocation?.Verify(findings) ?? findings;

        var report = new ScanReport
        {
            Findings = findings,
            Rules = rules,
            Warnings = result.Warnings,
            ToolVersion = Program.Version,
            ScanRoot = settings.Root,
            Statistics = result.Statistics,
        };
        observe?.Invoke(new[] { report });
        Write(report, settings);
        var revoked = revocation?.Revoke(findings) ?? ExitCodes.Clean;

        if (result.Statistics.Errors > 0 || revoked == ExitCodes.Error)
        {
            return ExitCodes.Error;
        }

        return findings.Any(f => f.Severity >= settings.FailOn) ? ExitCodes.Findings : ExitCodes.Clean;
    }

    private static void PrintProfile(RuleSet ruleSet)
    {
        Console.Error.WriteLine("rule profile (regex time, fragments the keyword prefilter let through, MB matched):");
        foreach (var r in ruleSet.Rules.Where(r => r.Runs > 0).OrderByDescending(r => r.Elapsed).Take(20))
        {
            Console.Error.WriteLine($"  {r.Elapsed.TotalMilliseconds,9:F1} ms {r.Runs,8:N0} {r.ScannedChars / 1e6,9:F1} MB  {r.Rule.Id} {r.Rule.Name}");
        }
    }

    private static void Write(ScanReport report, ScanSettings settings)
    {
        var writer = ReportFormats.Find(settings.Format.ToString())!;
        var color = settings.Output is null && settings.Format == ReportFormat.Text && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var options = new ReportOptions { Redact = settings.Redact, Color = color };
        if (settings.Output is null)
        {
            using var stdout = Console.OpenStandardOutput();
            writer.Write(report, stdout, options);
            return;
        }

        // Write to a temp file next to the target and move it in place, so a reader never sees half a report.
        // Devices (/dev/null, /dev/stdout) are written directly: moving a file over one replaces the device.
        var full = Path.GetFullPath(settings.Output);
        var temp = ReportOutput.IsDevice(full) ? full : full + ".tmp";
        try
        {
            using (var file = new FileStream(temp, temp == full ? FileMode.Open : FileMode.Create, FileAccess.Write, temp == full ? FileShare.ReadWrite : FileShare.None))
            {
                writer.Write(report, file, options);
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
}
