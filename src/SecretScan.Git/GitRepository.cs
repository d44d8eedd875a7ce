// Opens a repository with LibGit2Sharp (work tree, bare, worktree) and answers what refs, HEAD and commits say.
using LibGit2Sharp;

namespace SecretScan.Git;

/// <summary>Who made a commit and when; what reports say about the commit that introduced a secret.</summary>
public sealed record CommitInfo(string Sha, string Author, string AuthorEmail, DateTimeOffset AuthorDate, DateTimeOffset CommitDate, string Summary, IReadOnlyList<string> Parents);

/// <summary>Builds a finding's history record from the commits that introduced it and last held it (history and range scans).</summary>
internal static class Attribution
{
    public static SecretScan.Core.HistoryInfo Create(
        GitRepository repo, string introSha, string lastSha, bool inHead, IEnumerable<string> paths, int occurrences)
    {
        var intro = repo.Describe(introSha);
        var last = repo.Describe(lastSha);
        return new SecretScan.Core.HistoryInfo
        {
            Commit = introSha,
            Author = intro?.Author ?? "",
            AuthorEmail = intro?.AuthorEmail ?? "",
            Date = intro?.AuthorDate ?? default,
            Summary = intro?.Summary ?? "",
            FirstSeen = intro?.CommitDate ?? default,
            LastSeenCommit = lastSha,
            LastSeen = last?.CommitDate ?? default,
            InHead = inHead,
            Paths = paths.ToArray(),
            Occurrences = occurrences,
        };
    }
}

public sealed class GitRepository : IDisposable
{
    private readonly Repository repo;
    private readonly Dictionary<string, CommitInfo?> commits = new(StringComparer.OrdinalIgnoreCase);

    private GitRepository(Repository repo) => this.repo = repo;

    /// <summary>The .git folder (for a worktree, its own folder under the main repository's .git/worktrees).</summary>
    public string GitDirectory => repo.Info.Path;

    /// <summary>The work tree's root; null for a bare repository.</summary>
    public string? WorkingDirectory => IsBare ? null : repo.Info.WorkingDirectory;

    /// <summary>Where git commands run: the work tree root, or the repository folder when it is bare.</summary>
    public string CommandDirectory => Path.TrimEndingDirectorySeparator(WorkingDirectory ?? GitDirectory);

    /// <summary>
    /// Bare by config, or in fact: a repository folder without a config file (as some mirrors are) is taken by
    /// libgit2 for a work tree's .git, while git itself treats it as bare. No .git in the supposed work tree settles it.
    /// </summary>
    public bool IsBare => repo.Info.IsBare || repo.Info.WorkingDirectory is not { } work || !Path.Exists(Path.Combine(work, ".git"));

    public bool IsShallow => repo.Info.IsShallow;

    /// <summary>HEAD names a branch that has no commit yet (a new repository, or after `git checkout --orphan`).</summary>
    public bool IsHeadUnborn => repo.Info.IsHeadUnborn;

    public bool IsHeadDetached => repo.Info.IsHeadDetached;

    /// <summary>The commit HEAD points at (also when its object cannot be read); null on an unborn branch.</summary>
    public string? HeadCommit
    {
        get
        {
            try
            {
                return repo.Head.Tip?.Sha ?? UnreadableHead();
            }
            catch (LibGit2SharpException)
            {
                return UnreadableHead();
            }
        }
    }

    internal Repository Native => repo;

    /// <summary>Opens the repository that holds <paramref name="path"/> (the folder itself or a parent), as git would find it.</summary>
    public static GitRepository Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new GitException($"{path}: no such folder");
        }

        string? gitDir;
        try
        {
            gitDir = Repository.Discover(full);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitException($"{path}: cannot look for a git repository: {e.Message}", e);
        }

        if (gitDir is null)
        {
            throw new GitException($"{path} is not in a git repository (no .git in it or in any parent folder)");
        }

        try
        {
            return new GitRepository(new Repository(gitDir));
        }
        catch (LibGit2SharpException e)
        {
            throw new GitException($"{path}: cannot open the git repository: {e.Message}", e);
        }
    }

    // A HEAD whose commit is in a corrupt pack: the ref still names it, and callers report it as unreadable.
    private string? UnreadableHead() => repo.Info.IsHeadUnborn ? null : repo.Refs.Head?.ResolveToDirectReference()?.TargetIdentifier;

    /// <summary>The commit a revision names (a sha, branch, tag, HEAD~2...), or null when there is none.</summary>
    public string? ResolveCommit(string revision)
    {
        if (string.IsNullOrWhiteSpace(revision) || revision.StartsWith('-'))
        {
            return null;
        }

        try
        {
            return repo.Lookup(revision)?.Peel<Commit>()?.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Author, dates and summary of a commit; null when the commit is not in this repository.</summary>
    public CommitInfo? Describe(string sha)
    {
        if (commits.TryGetValue(sha, out var known))
        {
            return known;
        }

        CommitInfo? info = null;
        try
        {
            if (repo.Lookup<Commit>(sha) is { } c)
            {
                info = new CommitInfo(c.Sha, c.Author.Name, c.Author.Email, c.Author.When, c.Committer.When, c.MessageShort, c.Parents.Select(p => p.Sha).ToArray());
            }
        }
        catch (LibGit2SharpException)
        {
        }

        commits[sha] = info;
        return info;
    }

    public void Dispose() => repo.Dispose();
}
