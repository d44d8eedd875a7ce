// Enumerates the files of a scan root: skips .git, does not follow symbolic links, applies include/exclude globs.
using Microsoft.Extensions.FileSystemGlobbing;

namespace SecretScan.Cli;

/// <summary>A file to scan: its full path, its path relative to the root ('/' separators) and its size.</summary>
internal readonly record struct ScanTarget(string FullPath, string RelativePath, long Length);

/// <summary>Something not scanned and why (a link, an unreadable folder...).</summary>
internal readonly record struct SkippedEntry(string RelativePath, string Reason, bool IsError);

internal sealed class FolderWalker
{
    private readonly string root;
    private readonly Matcher? includes;
    private readonly Matcher? excludes;

    public FolderWalker(string root, IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        this.root = Path.GetFullPath(root);
        if (include.Count > 0)
        {
            includes = new Matcher(StringComparison.Ordinal);
            includes.AddIncludePatterns(include.Select(Normalize));
        }

        if (exclude.Count > 0)
        {
            excludes = new Matcher(StringComparison.Ordinal);
            foreach (var pattern in exclude.Select(Normalize))
            {
                excludes.AddInclude(pattern);

                // "vendor" or "vendor/" should exclude the folder's contents too.
                if (!pattern.Contains('*', StringComparison.Ordinal))
                {
                    excludes.AddInclude(pattern.TrimEnd('/') + "/**");
                }
            }
        }
    }

    public string Root => root;

    /// <summary>Depth-first walk; reports skips through <paramref name="onSkip"/> as it goes. Never follows links.</summary>
    public IEnumerable<ScanTarget> Walk(Action<SkippedEntry> onSkip)
    {
        var stack = new Stack<string>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions
                {
                    IgnoreInaccessible = false,
                    AttributesToSkip = 0,
                    RecurseSubdirectories = false,
                    ReturnSpecialDirectories = false,
                }).OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                onSkip(new SkippedEntry(Relative(dir), "unreadable folder: " + e.Message, IsError: true));
                continue;
            }

            var subdirs = new List<string>();
            foreach (var entry in entries)
            {
                string rel;
                string? link;
                try
                {
                    rel = Relative(entry.FullName);
                    link = entry.LinkTarget;
                }
                catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
                {
                    // Near PATH_MAX (4096) the runtime lists an entry it can no longer name: count it, do not end the walk.
                    var where = Relative(dir);
                    onSkip(new SkippedEntry(where.Length == 0 ? entry.Name : where + "/" + entry.Name, $"cannot read: {e.Message} (a path of {dir.Length + entry.Name.Length + 1:N0} characters)", IsError: true));
                    continue;
                }

                if (link is not null)
                {
                    onSkip(new SkippedEntry(rel, "symbolic link (not followed)", IsError: false));
                    continue;
                }

                if (entry is DirectoryInfo)
                {
                    if (entry.Name == ".git" || IsExcluded(rel + "/"))
                    {
                        continue;
                    }

                    subdirs.Add(entry.FullName);
                    continue;
                }

                if (entry is not FileInfo file || IsExcluded(rel) || (includes is not null && !includes.Match(rel).HasMatches))
                {
                    continue;
                }

                // Length stats the file now, by its decoded name: a file that vanished since the listing, or one whose
                // name is not UTF-8 (.NET decodes it to U+FFFD and cannot find it again), fails here, not in the scan.
                long length;
                try
                {
                    length = file.Length;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    var reason = rel.Contains('\uFFFD', StringComparison.Ordinal)
                        ? "cannot read: the file name is not valid UTF-8 (rename it to scan it)"
                        : "cannot read: " + e.Message;
                    onSkip(new SkippedEntry(rel, reason, IsError: true));
                    continue;
                }

                // FIFOs, sockets and devices show as empty files here; the reader never opens an empty file, so they cannot block the scan.
                yield return new ScanTarget(file.FullName, rel, length);
            }

            for (var i = subdirs.Count - 1; i >= 0; i--)
            {
                stack.Push(subdirs[i]);
            }
        }
    }

    private bool IsExcluded(string rel) => excludes is not null && excludes.Match(rel.TrimEnd('/')).HasMatches | excludes.Match(rel).HasMatches;

    private string Relative(string full)
    {
        var rel = Path.GetRelativePath(root, full).Replace('\\', '/');
        return rel == "." ? "" : rel;
    }

    private static string Normalize(string pattern) => pattern.Replace('\\', '/').TrimStart('/').Replace("./", "", StringComparison.Ordinal);
}
