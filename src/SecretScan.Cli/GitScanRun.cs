// One `scan --git`, `scan --range` or `scan --staged` run: rules, git source, baseline, report, exit code.
using Microsoft.Extensions.FileSystemGlobbing;
using SecretScan.Core;
using SecretScan.Git;
using SecretScan.Reporting;

namespace SecretScan.Cli;

internal static class GitScanRun
{
    /// <param name="observe">Sees the reports before they are written (`ci github` turns them into annotations and a summary).</param>
    public static int Execute(ScanSettings settings, GitScanRequest request, Action<IReadOnlyList<ScanReport>>? observe = null)
    {
        var rules = RuleCatalog.Resolve(settings.Config, settings.RulesPath);
        RuleSet Compile(IEnumerable<Rule> some) => RuleSet.Create(some, settings.EngineOptions());
        RuleSet? used = null;

        if (!settings.Redact)
        {
            Console.Error.WriteLine("secretscan: warning: --no-redact prints secrets in full; do not use it where logs are kept.");
        }

        using var progress = settings.Progress && request.Mode != GitScanMode.Staged ? new ProgressLine(Console.Error) : null;
        var options = new HistoryOptions
        {
            Branches = request.Branches,
            Since = request.Since,
            MaxCommits = request.MaxCommits,
            MaxBlobSize = settings.MaxFileSize,
            Threads = settings.Threads,
            PathFilter = PathScope.Create(settings.Include, settings.Exclude),
            OnProgress = progress is null ? null : progress.Update,
        };

        GitScanResult result;
        try
        {
            result = request.Mode switch
            {
                // A commit adds a few lines: build only the rules whose keywords occur in them (and those without
                // keywords). Compiling all of them would cost more than the scan (the pre-commit latency budget).
                GitScanMode.Staged => StagedScan.Run(settings.Root, text => new Scanner(used = Compile(rules.Where(r => MayMatch(r, text)))), options),
                GitScanMode.Range => RangeScan.Run(settings.Root, new Scanner(used = Compile(rules)), request.Range!, options),
                _ => HistoryScan.Run(settings.Root, new Scanner(used = Compile(rules)), options),
            };
        }
        catch (GitException e)
        {
            throw new UsageException(e.Message);
        }

        progress?.Dispose();
        if (settings.ProfileRules && used is not null)
        {
            Console.Error.WriteLine("rule profile (regex time, fragments the keyword prefilter let through, MB matched):");
            foreach (var r in used.Rules.Where(r => r.Runs > 0).OrderByDescending(r => r.Elapsed).Take(20))
            {
                Console.Error.WriteLine($"  {r.Elapsed.TotalMilliseconds,9:F1} ms {r.Runs,8:N0} {r.ScannedChars / 1e6,9:F1} MB  {r.Rule.Id} {r.Rule.Name}");
            }
        }

        var findings = BaselineFilter.Apply(settings.Config.Suppress(result.Findings), settings.Baseline);
        using var revocation = RevocationRun.Start(settings.Config, settings.Revocation);
        findings = revocation?.Verify(findings) ?? findings;

        var statistics = new ScanStatistics
        {
            FilesScanned = result.Statistics.BlobsScanned,
            BytesScanned = result.Statistics.BytesRead,
            FilesSkipped = result.Statistics.Skipped,
            Errors = result.Statistics.Errors,
            Duration = result.Statistics.Duration,
        };
        foreach (var w in result.Warnings.Where(w => w.Path.Length == 0))
        {
            // Warnings about the whole scan (a shallow clone, an empty range) must be seen even in a SARIF run.
            Console.Error.WriteLine("secretscan: warning: " + w.Message);
        }

        var tree = new ScanReport
        {
            Findings = findings.Where(f => f.History is null || f.History.InHead).ToArray(),
            Rules = rules,
            Warnings = result.Warnings,
            ToolVersion = Program.Version,
            ScanRoot = result.RepositoryRoot,
            Statistics = statistics,
        };
        var runs = new List<ScanReport> { tree };
        if (request.Mode != GitScanMode.Staged)
        {
            // Secrets that are gone from HEAD are still leaked; they go in their own run so current-tree alerts stay stable.
            runs.Add(tree with
            {
                Findings = findings.Where(f => f.History is { InHead: false }).ToArray(),
                Warnings = Array.Empty<ScanWarning>(),
                Category = ScanReport.HistoryCategory,
            });
        }

        observe?.Invoke(runs);
        ReportOutput.Write(runs, settings);
        if (request.Mode != GitScanMode.Staged)
        {
            // One line on stderr (the report keeps stdout): what was read, and what the line dedup saved.
            var s = result.Statistics;
            Console.Error.WriteLine($"secretscan: {s.Commits:N0} commits, {s.Blobs:N0} blobs, {s.BytesRead / 1048576.0:N1} MB read, {s.BytesScanned / 1048576.0:N1} MB scanned after skipping lines already seen; {findings.Count:N0} findings in {s.Duration.TotalSeconds:N1} s (log {s.LogDuration.TotalSeconds:N1} s, blobs {s.BlobDuration.TotalSeconds:N1} s; peak memory {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB)");
        }

        var revoked = revocation?.Revoke(findings) ?? ExitCodes.Clean;
        if (result.Statistics.Errors > 0 || revoked == ExitCodes.Error)
        {
            return ExitCodes.Error;
        }

        return findings.Any(f => f.Severity >= settings.FailOn) ? ExitCodes.Findings : ExitCodes.Clean;
    }

    /// <summary>Whether the engine could run <paramref name="rule"/> on <paramref name="text"/> at all: a keyword occurs, or it has none.</summary>
    private static bool MayMatch(Rule rule, string text) =>
        rule.Keywords.Count == 0 || rule.Keywords.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase));
}

/// <summary>--include and --exclude for paths inside git, with the folder walker's rules (a bare name excludes a folder).</summary>
internal static class PathScope
{
    public static Func<string, bool>? Create(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        if (include.Count == 0 && exclude.Count == 0)
        {
            return null;
        }

        Matcher? includes = null;
        if (include.Count > 0)
        {
            includes = new Matcher(StringComparison.Ordinal);
            includes.AddIncludePatterns(include.Select(Normalize));
        }

        Matcher? excludes = null;
        if (exclude.Count > 0)
        {
            excludes = new Matcher(StringComparison.Ordinal);
            foreach (var pattern in exclude.Select(Normalize))
            {
                excludes.AddInclude(pattern);
                if (!pattern.Contains('*', StringComparison.Ordinal))
                {
                    excludes.AddInclude(pattern.TrimEnd('/') + "/**");
                }
            }
        }

        return path =>
        {
            if (excludes is not null && excludes.Match(path).HasMatches)
            {
                return false;
            }

            return includes is null || includes.Match(path).HasMatches;
        };
    }

    private static string Normalize(string pattern) => pattern.Replace('\\', '/').TrimStart('/').Replace("./", "", StringComparison.Ordinal);
}
