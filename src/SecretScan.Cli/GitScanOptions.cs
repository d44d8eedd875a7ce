// The scan flags that read git instead of the file system: --git (history), --range (pull request), --staged.
using System.CommandLine;
using System.Globalization;

namespace SecretScan.Cli;

internal enum GitScanMode
{
    None,
    History,
    Range,
    Staged,
}

/// <summary>What part of git a scan reads; validated, so the run only acts.</summary>
internal sealed record GitScanRequest
{
    public static readonly GitScanRequest None = new();

    public GitScanMode Mode { get; init; }

    public IReadOnlyList<string> Branches { get; init; } = Array.Empty<string>();

    public DateTimeOffset? Since { get; init; }

    public int? MaxCommits { get; init; }

    public string? Range { get; init; }
}

internal sealed class GitScanOptions
{
    private readonly Option<bool> git = new("--git") { Description = "Scan the git history of the repository at PATH: every commit reachable from any ref, each blob and line once." };
    private readonly Option<string[]> branch = new("--branch") { Description = "With --git: only history reachable from this branch, tag or commit (repeatable).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> since = new("--since") { Description = "With --git: only commits made on or after this date (e.g. 2024-01-31 or 2024-01-31T12:00:00Z)." };
    private readonly Option<int?> maxCommits = new("--max-commits") { Description = "With --git: only the newest N commits." };
    private readonly Option<string?> range = new("--range") { Description = "Scan exactly the commits of BASE..HEAD (a pull request) and report only the lines they added." };
    private readonly Option<bool> staged = new("--staged") { Description = "Scan the staged changes (what `git commit` would add), added lines only; for pre-commit hooks." };

    public static GitScanOptions AddTo(Command scan)
    {
        var options = new GitScanOptions();
        foreach (var o in new Option[] { options.git, options.branch, options.since, options.maxCommits, options.range, options.staged })
        {
            scan.Options.Add(o);
        }

        return options;
    }

    public GitScanRequest Read(ParseResult parse)
    {
        var branches = parse.GetValue(branch) ?? Array.Empty<string>();
        var sinceText = parse.GetValue(since);
        var max = parse.GetValue(maxCommits);
        var rangeText = parse.GetValue(range);
        var isStaged = parse.GetValue(staged);
        var isHistory = parse.GetValue(git);
        var historyOnly = branches.Length > 0 ? "--branch" : sinceText is not null ? "--since" : max is not null ? "--max-commits" : null;

        if (isStaged && (isHistory || rangeText is not null))
        {
            throw new UsageException("--staged scans the index; it cannot be combined with --git or --range");
        }

        if (historyOnly is not null && (!isHistory || rangeText is not null))
        {
            throw new UsageException(rangeText is not null ? $"{historyOnly} does not apply to --range (the range says which commits)" : $"{historyOnly} needs --git");
        }

        if (max is <= 0)
        {
            throw new UsageException("--max-commits must be at least 1");
        }

        DateTimeOffset? sinceDate = null;
        if (sinceText is not null)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d))
            {
                throw new UsageException($"--since: '{sinceText}' is not a date such as 2024-01-31");
            }

            sinceDate = d;
        }

        var mode = isStaged ? GitScanMode.Staged : rangeText is not null ? GitScanMode.Range : isHistory ? GitScanMode.History : GitScanMode.None;
        return new GitScanRequest { Mode = mode, Branches = branches, Since = sinceDate, MaxCommits = max, Range = rangeText };
    }
}
