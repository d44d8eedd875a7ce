// One `secretscan ci github` run: reads the GitHub environment, runs the ordinary range, history or folder scan
// (writing the SARIF file), then writes annotations, the job summary and the step outputs.
using SecretScan.Core;
using SecretScan.Git;
using SecretScan.Reporting;
using SecretScan.Rules.Yaml;

namespace SecretScan.Cli;

/// <summary>The validated flags of `ci github`.</summary>
internal sealed record CiGithubOptions
{
    public CiMode Mode { get; init; }

    /// <summary>The folder to scan; null for GITHUB_WORKSPACE, else the current folder.</summary>
    public string? Root { get; init; }

    public string? Config { get; init; }

    public string? Baseline { get; init; }

    public Severity FailOn { get; init; } = Severity.Low;

    /// <summary>Where the SARIF file goes; null for RUNNER_TEMP/secretscan.sarif.</summary>
    public string? Sarif { get; init; }

    public bool Revoke { get; init; }
}

internal static class CiGithubRun
{
    public const string DefaultSarifName = "secretscan.sarif";

    public static int Execute(CiGithubOptions options, CiGithubContext context)
    {
        var report = new CiGithubReport(context, options.FailOn);
        try
        {
            return Scan(options, context, report);
        }
        catch (Exception e) when (e is UsageException or ConfigException or RuleException)
        {
            // The log gets the one line from Program; the job summary and the checks page get it too.
            Console.Out.WriteLine("::error title=SecretScan::" + CiGithubReport.EscapeData(e.Message));
            CiGithubReport.Append(context.StepSummary, CiGithubReport.Failure(e.Message));
            CiGithubReport.Append(context.OutputFile, CiGithubReport.Outputs(new[] { ("fork", Bool(context.IsFork)) }));
            throw;
        }
    }

    private static int Scan(CiGithubOptions options, CiGithubContext context, CiGithubReport report)
    {
        var root = Path.GetFullPath(options.Root ?? context.Workspace ?? ".");
        if (!Directory.Exists(root))
        {
            throw new UsageException($"{root}: no such folder to scan (GITHUB_WORKSPACE or the path given)");
        }

        var sarif = Path.GetFullPath(options.Sarif ?? Path.Combine(context.RunnerTemp ?? ".", DefaultSarifName));
        Directory.CreateDirectory(Path.GetDirectoryName(sarif)!);
        var plan = CiScanPlanner.Plan(context, options.Mode, root);
        var config = ScanSettings.LoadConfig(root, options.Config);
        var settings = new ScanSettings
        {
            Root = root,
            Config = config,
            Format = ReportFormat.Sarif,
            Output = sarif,
            FailOn = options.FailOn,
            MaxFileSize = config.MaxFileSize ?? ScanSettings.DefaultMaxFileSize,
            RegexTimeout = config.RegexTimeout ?? TimeSpan.FromSeconds(1),
            MaxFindingsPerFile = config.MaxFindingsPerFile ?? RuleSetOptions.DefaultMaxFindingsPerFile,
            Baseline = options.Baseline is { } flag ? Path.GetFullPath(flag)
                : config.Baseline is { Length: > 0 } fromConfig ? Path.GetFullPath(Path.Combine(root, fromConfig)) : null,
            Revocation = new RevocationRequest
            {
                Revoke = options.Revoke,

                // Nobody can confirm in CI, so --revoke acts; except for a fork, whose config and hooks come from
                // the fork's author: there it stays a dry run.
                Yes = options.Revoke && !context.IsFork,
                AuditLog = config.Revoke.AuditLog is null && context.RunnerTemp is { } temp ? Path.Combine(temp, "secretscan-audit.jsonl") : null,
            },
        };

        // What the scan prints (file names, commit messages, a revocation hook's answer) is not ours to let the
        // runner read as workflow commands: they stay off until the scan is done.
        var resume = "secretscan-" + Guid.NewGuid().ToString("N");
        IReadOnlyList<ScanReport> runs = Array.Empty<ScanReport>();
        int exit;
        Console.Out.WriteLine("::stop-commands::" + resume);
        try
        {
            exit = plan.Git.Mode == GitScanMode.None
                ? ScanRun.Execute(settings, seen => runs = seen)
                : GitScanRun.Execute(settings, plan.Git, seen => runs = seen);
        }
        catch (UsageException e) when (plan.ShallowMessage is not null && e.Message.Contains("shallow", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException(plan.ShallowMessage);
        }
        finally
        {
            Console.Out.WriteLine("::" + resume + "::");
        }

        var prefix = plan.Git.Mode == GitScanMode.None ? RepositoryPrefix(root) : "";
        foreach (var line in report.Annotations(runs, prefix))
        {
            Console.Out.WriteLine(line);
        }

        CiGithubReport.Append(context.StepSummary, report.Summary(plan, runs, prefix));
        CiGithubReport.Append(context.OutputFile, CiGithubReport.Outputs(new[]
        {
            ("findings", runs.Sum(r => r.Findings.Count).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("sarif", sarif),
            ("fork", Bool(context.IsFork)),
        }));
        return exit;
    }

    /// <summary>
    /// Annotations name files from the repository root; a folder scan's paths start at the folder scanned, which
    /// may be below it. Empty when the folder is the root or not in a repository.
    /// </summary>
    private static string RepositoryPrefix(string root)
    {
        try
        {
            using var repo = GitRepository.Open(root);
            if (repo.WorkingDirectory is not { } work)
            {
                return "";
            }

            var relative = Path.GetRelativePath(work, root).Replace('\\', '/');
            return relative is "." || relative.StartsWith("..", StringComparison.Ordinal) ? "" : relative.TrimEnd('/') + "/";
        }
        catch (GitException)
        {
            return "";
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
