// Decides what `ci github` scans for an event (a PR's commits, a push's, the history or the tree) and fails
// early, with the fetch-depth it needs, when the checkout cannot hold that.
using SecretScan.Git;

namespace SecretScan.Cli;

internal enum CiMode
{
    Auto,
    Pr,
    History,
    Folder,
}

/// <summary>What one `ci github` run scans, and how to tell people about it.</summary>
internal sealed record CiScanPlan
{
    /// <summary>The git scan to run; <see cref="GitScanRequest.None"/> scans the checked-out folder.</summary>
    public GitScanRequest Git { get; init; } = GitScanRequest.None;

    /// <summary>What was scanned, for the summary: "pull request #7 (3 commits, 1a2b3c4..5d6e7f8)".</summary>
    public required string Scope { get; init; }

    /// <summary>The commit whose files hold the findings still present (links in the summary); null when unknown.</summary>
    public string? TipCommit { get; init; }

    /// <summary>The error to give instead of git's when the scan trips over a shallow boundary.</summary>
    public string? ShallowMessage { get; init; }
}

internal static class CiScanPlanner
{
    public static CiScanPlan Plan(CiGithubContext context, CiMode mode, string root)
    {
        switch (mode)
        {
            case CiMode.Pr:
                return context.PullRequest is { } pr
                    ? PullRequest(context, pr, root)
                    : throw new UsageException($"--mode pr needs a pull_request, pull_request_target or merge_group event with its payload (GITHUB_EVENT_PATH); this is '{context.EventName}'");
            case CiMode.History:
                return History(root, "the whole history (every branch and tag)", Array.Empty<string>(), context.Sha);
            case CiMode.Folder:
                return Folder(context);
        }

        return context.PullRequest is { } auto ? PullRequest(context, auto, root)
            : context.Push is { } push ? Push(context, push, root)
            : Folder(context);
    }

    /// <summary>One line: the checkout lacks commits; fetch-depth 0 always works, <paramref name="least"/> only in the simple case.</summary>
    internal static string TooShallow(string what, int? least) =>
        $"the checkout is too shallow to scan {what}: set fetch-depth: 0 on actions/checkout" +
        (least is { } n ? $" (fetch-depth: {n} is the least that can work, and only while the base has not moved on)" : "");

    internal static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static CiScanPlan PullRequest(CiGithubContext context, CiPullRequest pr, string root)
    {
        var commits = pr.Commits is { } n ? $"{n} commit{(n == 1 ? "" : "s")}, " : "";
        var what = (pr.Number > 0 ? $"pull request #{pr.Number}" : "the merge group") + $" ({commits}{Short(pr.BaseSha)}..{Short(pr.HeadSha)})";
        using var repo = Open(root);

        // GitHub checks out a merge commit on top of the head, one level more to fetch than the head itself.
        var onHead = string.Equals(repo.HeadCommit, pr.HeadSha, StringComparison.OrdinalIgnoreCase);
        int? least = pr.Commits is { } count ? count + (onHead ? 1 : 2) : null;
        var missingHeadAdvice = context.EventName == "pull_request_target"
            ? "pull_request_target checks out the base branch: check out the pull request's head with actions/checkout (ref: the head sha, fetch-depth: 0)"
            : "use actions/checkout with fetch-depth: 0";
        return Range(repo, pr.BaseSha, pr.HeadSha, what, least, missingHeadAdvice);
    }

    private static CiScanPlan Push(CiGithubContext context, CiPush push, string root)
    {
        if (push.IsDeleted)
        {
            return Folder(context) with { Scope = $"the checked-out tree (the push deleted {push.Ref})" };
        }

        using var repo = Open(root);
        var name = RefName(push.Ref);
        if (!push.IsCreated && !(push.Forced && repo.ResolveCommit(push.Before) is null && !repo.IsShallow))
        {
            var count = push.Commits is { } n ? $"{n} commit{(n == 1 ? "" : "s")}, " : "";
            var what = $"the push to {name} ({count}{Short(push.Before)}..{Short(push.After)})";
            return Range(repo, push.Before, push.After, what, push.Commits + 1, "use actions/checkout with fetch-depth: 0");
        }

        // A new branch (or a forced push whose old tip is gone): its own commits are those the default branch
        // does not have. Scanning only the tip would miss secrets added and removed on the way.
        var created = $"the new {(push.Ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch")} {name} ({Short(push.After)})";
        if (repo.ResolveCommit(push.After) is null)
        {
            throw new UsageException(repo.IsShallow ? TooShallow(created, null) : $"{created}: commit {push.After} is not in this checkout; use actions/checkout with fetch-depth: 0");
        }

        var main = push.DefaultBranch;
        if (main is null || push.Ref == "refs/heads/" + main)
        {
            return History(repo, $"{created}: all of its history", new[] { push.After }, push.After);
        }

        foreach (var candidate in new[] { "refs/remotes/origin/" + main, "refs/heads/" + main })
        {
            if (repo.ResolveCommit(candidate) is { } mainSha)
            {
                var plan = Range(repo, mainSha, push.After, $"{created}: the commits that are not on {main}", null, "use actions/checkout with fetch-depth: 0");
                return plan with { ShallowMessage = TooShallow($"{created}, which needs the history of {main}", null) };
            }
        }

        return repo.IsShallow
            ? throw new UsageException(TooShallow($"{created}, which needs {main} to tell its new commits", null))
            : History(repo, $"{created}: all of its history ({main} is not in the checkout)", new[] { push.After }, push.After);
    }

    private static CiScanPlan Range(GitRepository repo, string baseSha, string headSha, string what, int? least, string missingHeadAdvice)
    {
        var hasBase = repo.ResolveCommit(baseSha) is not null;
        var hasHead = repo.ResolveCommit(headSha) is not null;
        if (!hasBase || !hasHead)
        {
            throw new UsageException(repo.IsShallow
                ? TooShallow(what, least)
                : hasHead
                    ? $"{what}: the base commit {baseSha} is not in this checkout; use actions/checkout with fetch-depth: 0"
                    : $"{what}: the head commit {headSha} is not in this checkout; {missingHeadAdvice}");
        }

        return new CiScanPlan
        {
            Git = new GitScanRequest { Mode = GitScanMode.Range, Range = baseSha + ".." + headSha },
            Scope = what,
            TipCommit = headSha,
            ShallowMessage = repo.IsShallow ? TooShallow(what, least) : null,
        };
    }

    private static CiScanPlan History(string root, string what, IReadOnlyList<string> branches, string? tip)
    {
        using var repo = Open(root);
        return History(repo, what, branches, tip ?? repo.HeadCommit);
    }

    private static CiScanPlan History(GitRepository repo, string what, IReadOnlyList<string> branches, string? tip)
    {
        // A history scan of a shallow clone would pass while reading a fraction of the history.
        if (repo.IsShallow)
        {
            throw new UsageException(TooShallow(what, null));
        }

        return new CiScanPlan { Git = new GitScanRequest { Mode = GitScanMode.History, Branches = branches }, Scope = what, TipCommit = tip };
    }

    private static CiScanPlan Folder(CiGithubContext context) => new()
    {
        Scope = "the checked-out tree" + (context.Sha is { } sha ? $" ({Short(sha)})" : ""),
        TipCommit = context.Sha,
    };

    private static GitRepository Open(string root)
    {
        try
        {
            return GitRepository.Open(root);
        }
        catch (GitException e)
        {
            throw new UsageException(e.Message + " (check the repository out with actions/checkout first, or use --mode folder)");
        }
    }

    private static string RefName(string gitRef) =>
        gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef["refs/heads/".Length..]
        : gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? gitRef["refs/tags/".Length..]
        : gitRef;
}
