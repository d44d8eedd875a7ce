// Reads which blobs each commit added and removed, from one `git log --raw -z -c` stream, into a BlobCatalog.
// Measured on curl/curl (87k commits, all refs): 4.5 s for git to produce the stream, about a third of reading the blobs.
using System.Text;

namespace SecretScan.Git;

internal static class CommitLog
{
    /// <summary>At most this many unreadable parent commits are stepped over, one log run each, before what was read is kept as it is.</summary>
    private const int MaxHoles = 32;

    /// <summary>
    /// Runs `git log` over <paramref name="revisions"/> (e.g. "--all", a branch, "--since=..." or "-n" limits) and
    /// records every blob change. A merge lists the paths whose result differs from every parent (-c, the combined
    /// diff), so a conflict resolution counts as the merge's own, while what a merge took unchanged from one side stays
    /// attributed to the commit that made it there. Every blob of every tree is still seen added somewhere: it is either
    /// in a parent at that path, or new in the commit. Commits come children first (--date-order), so the last commit
    /// seen adding a blob is the oldest one.
    /// When git cannot read a commit (a corrupt or truncated pack), the log is not given up: refs whose commit cannot be
    /// read are left out, unreadable parents are cut off, and each is one message in <paramref name="errors"/> (see
    /// <see cref="Recover"/>).
    /// </summary>
    public static BlobCatalog Read(string directory, IReadOnlyList<string> revisions, List<string> errors, CancellationToken cancel = default, int expectedBlobs = 0)
    {
        var catalog = new BlobCatalog(expectedBlobs);
        var failure = TryRun(directory, Arguments(revisions), new CatalogSink(catalog), null, null, cancel);
        if (failure is not null)
        {
            catalog = Recover(directory, revisions, failure, catalog, errors, cancel);
        }

        catalog.DropUnattributed();
        return catalog;
    }

    /// <summary>Runs a `git log --raw -z` command line and feeds every commit and change to <paramref name="sink"/>.</summary>
    internal static void Run(string directory, IReadOnlyList<string> args, IChangeSink sink, CancellationToken cancel)
    {
        if (TryRun(directory, args, sink, null, null, cancel) is { } failure)
        {
            throw new GitException(failure);
        }
    }

    /// <summary>
    /// Runs a `git log --raw -z` command line, feeding <paramref name="sink"/> everything git writes, also when it dies
    /// part-way; returns git's reason when it failed, else null. <paramref name="input"/> goes to standard input
    /// (revisions for --stdin: 100,000 refs do not fit on a command line).
    /// </summary>
    private static string? TryRun(string directory, IReadOnlyList<string> args, IChangeSink sink, IReadOnlyList<string>? input, IReadOnlyDictionary<string, string>? environment, CancellationToken cancel)
    {
        using var process = GitProcess.Start(directory, args, redirectInput: input is not null, environment);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        if (input is not null)
        {
            // git reads all of its --stdin revisions before it writes anything, so this cannot block on a full pipe.
            WriteLines(process, input);
        }

        using (cancel.Register(() => TryKill(process)))
        {
            Parse(process.StandardOutput.BaseStream, sink);
        }

        process.WaitForExit();
        cancel.ThrowIfCancellationRequested();
        return process.ExitCode == 0 ? null : GitProcess.FirstLine(stderr.Result) ?? $"git log failed with exit code {process.ExitCode}";
    }

    /// <summary>
    /// After `git log` failed on <paramref name="revisions"/>: (1) with --all, every ref's commit is checked in one
    /// `git cat-file --batch-check` over `git for-each-ref` and the unreadable ones are left out, one error each (one
    /// broken ref among 100,000 on distinct commits: 3.7 s for the scan instead of 2.0 s, mostly the second log run); (2) the log runs again on the rest, and while it dies on a commit whose parent cannot be
    /// read, `git rev-list` names that commit and a graft file (GIT_GRAFT_FILE, a temporary file: the repository is not
    /// touched) cuts the parent off, so everything before the hole on other lines and everything after it is still
    /// listed (the cut commit's files count as added by it); (3) when nothing more can be stepped over (an unreadable
    /// tree), what the log listed before it died is kept. Returns the most complete catalog.
    /// </summary>
    private static BlobCatalog Recover(string directory, IReadOnlyList<string> revisions, string failure, BlobCatalog partial, List<string> errors, CancellationToken cancel)
    {
        var limits = revisions.Where(r => r.StartsWith("--", StringComparison.Ordinal) && r != "--all").ToList();
        var tips = revisions.Contains("--all")
            ? ReadableTips(directory, errors, cancel)
            : revisions.Where(r => !r.StartsWith('-')).ToList();
        var best = partial;
        if (tips.Count == 0)
        {
            if (errors.Count == 0)
            {
                errors.Add($"git log failed ({failure}) and no ref has a commit git can read: nothing was scanned");
            }

            return best;
        }

        var cut = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var graftFile = Path.Combine(Path.GetTempPath(), $"secretscan-grafts-{Guid.NewGuid():N}");
        // (git adds a "hint:" that grafts are deprecated; only its error lines are read.)
        var environment = new Dictionary<string, string> { ["GIT_GRAFT_FILE"] = graftFile };
        try
        {
            var args = Arguments(limits.Prepend("--stdin"));
            while (true)
            {
                var attempt = new BlobCatalog(partial.BlobCount);
                failure = TryRun(directory, args, new CatalogSink(attempt), tips, cut.Count > 0 ? environment : null, cancel) ?? "";
                if (failure.Length == 0)
                {
                    return attempt;
                }

                if (attempt.CommitCount >= best.CommitCount)
                {
                    best = attempt;
                }

                if (cut.Count >= MaxHoles || !FindHole(directory, tips, limits, cut, environment, graftFile, errors, cancel))
                {
                    errors.Add($"git log stopped part-way ({failure}): the {best.CommitCount:N0} commits it listed before were scanned, the rest of the history was not");
                    return best;
                }
            }
        }
        finally
        {
            File.Delete(graftFile);
        }
    }

    /// <summary>
    /// The commits of every ref and of a detached HEAD that git can read; each ref whose commit it cannot read is one
    /// error. One `for-each-ref` (which reads no object) and one `cat-file --batch-check` over the peeled tips (`sha^{}`),
    /// started again after a ref it dies on.
    /// </summary>
    private static List<string> ReadableTips(string directory, List<string> errors, CancellationToken cancel)
    {
        var refs = GitProcess.Run(directory, "for-each-ref", "--format=%(objectname) %(refname)")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (Sha: l[..l.IndexOf(' ', StringComparison.Ordinal)], Name: l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]))
            .ToList();
        if (GitProcess.TryRun(directory, "symbolic-ref", "-q", "HEAD").ExitCode != 0 && GitProcess.TryRun(directory, "rev-parse", "HEAD") is (0, var head, _) && head.Trim().Length > 0)
        {
            // A detached HEAD is one more tip of --all (an attached one is its branch, listed above).
            refs.Add((head.Trim(), "HEAD"));
        }

        // Each object once: 100,000 tags may share a handful of commits, and a loose one costs an open and a map per ask.
        var objects = refs.Select(r => r.Sha).Distinct(StringComparer.Ordinal).ToList();
        var tips = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = new Dictionary<string, string>(StringComparer.Ordinal);
        var done = 0;
        while (done < objects.Count)
        {
            cancel.ThrowIfCancellationRequested();
            using var process = GitProcess.Start(directory, new[] { "cat-file", "--buffer", "--batch-check=%(objectname) %(objecttype)" }, redirectInput: true);
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            var pending = objects.Skip(done).Select(sha => sha + "^{}").ToList();
            var writer = Task.Run(() => WriteLines(process, pending), cancel);
            var missing = new List<string>();
            string? answer;
            while (done < objects.Count && (answer = process.StandardOutput.ReadLine()) is not null)
            {
                // One answer a line, in order: "<peeled sha> <type>", or "<input> missing". A ref to a tree or a blob
                // is no commit to walk, and not an error (`git log --all` passes over it too).
                var space = answer.LastIndexOf(' ');
                var type = space < 0 ? "" : answer[(space + 1)..];
                if (type == "commit")
                {
                    tips.Add(answer[..space]);
                }
                else if (type is not ("tree" or "blob"))
                {
                    missing.Add(objects[done]);
                }

                done++;
            }

            writer.GetAwaiter().GetResult();
            process.WaitForExit();
            if (done < objects.Count)
            {
                // cat-file died on this object (a corrupt one rather than a missing one): go on after it.
                missing.Add(objects[done++]);
            }

            var reason = ErrorLine(stderr.Result) ?? "the object is missing";
            foreach (var sha in missing)
            {
                unreadable[sha] = reason;
            }
        }

        foreach (var (sha, name) in refs)
        {
            if (unreadable.TryGetValue(sha, out var reason))
            {
                errors.Add($"{name}: its commit {sha} cannot be read ({reason}): history only this ref reaches was not scanned");
            }
        }

        return tips.ToList();
    }

    /// <summary>
    /// Walks the commits (no diffs) with the cuts made so far; when git stops at a commit whose parent it cannot read,
    /// cuts that parent off in the graft file, adds one error, and returns true. False when the walk gets through (the
    /// log failed for another reason) or stops in a way that names no commit.
    /// </summary>
    private static bool FindHole(string directory, List<string> tips, List<string> limits, Dictionary<string, HashSet<string>> cut, Dictionary<string, string> environment, string graftFile, List<string> errors, CancellationToken cancel)
    {
        // Not --max-count: the log's --date-order reads every commit before it lists the newest, and so must this walk.
        var args = new List<string> { "rev-list", "--stdin" };
        args.AddRange(limits.Where(l => !l.StartsWith("--max-count=", StringComparison.Ordinal)));
        using var process = GitProcess.Start(directory, args, redirectInput: true, cut.Count > 0 ? environment : null);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancel);
        WriteLines(process, tips);
        drain.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode == 0)
        {
            return false;
        }

        // "error: Could not read <parent>" then "fatal: Failed to traverse parents of commit <child>".
        var text = stderr.Result;
        var child = ShaAfter(text, "Failed to traverse parents of commit ");
        if (child is null)
        {
            return false;
        }

        var parent = ShaAfter(text, "Could not read ");
        var parents = ParentsOf(directory, child);
        if (!cut.TryGetValue(child, out var removed))
        {
            removed = new HashSet<string>(StringComparer.Ordinal);
            cut.Add(child, removed);
        }

        if (parent is not null && parents.Contains(parent) && !removed.Contains(parent))
        {
            removed.Add(parent);
        }
        else if (!removed.SetEquals(parents))
        {
            // The failing parent is not named: cut them all, the commit becomes a root.
            removed.UnionWith(parents);
        }
        else
        {
            return false;
        }

        File.WriteAllLines(graftFile, cut.Select(c => string.Join(' ', ParentsOf(directory, c.Key).Where(p => !c.Value.Contains(p)).Prepend(c.Key))));
        errors.Add($"commit {child}: its parent {parent ?? string.Join(", ", removed)} cannot be read ({ErrorLine(text) ?? "the object is missing"}): history before it on that line was not scanned, and what the commit holds counts as added by it");
        return true;
    }

    /// <summary>The parents a commit records (read from the commit itself, so an unreadable parent does not matter).</summary>
    private static List<string> ParentsOf(string directory, string commit) =>
        GitProcess.Run(directory, "cat-file", "commit", commit).Split('\n')
            .TakeWhile(l => l.Length > 0)
            .Where(l => l.StartsWith("parent ", StringComparison.Ordinal))
            .Select(l => l[7..].Trim())
            .ToList();

    private static string? ShaAfter(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var from = at + marker.Length;
        var to = from;
        while (to < text.Length && char.IsAsciiHexDigit(text[to]))
        {
            to++;
        }

        return to - from >= 40 ? text[from..to] : null;
    }

    /// <summary>git's first `error:` line (what went wrong: "packfile ... does not match index"), else its first line.</summary>
    private static string? ErrorLine(string stderr)
    {
        var error = stderr.Split('\n').FirstOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal));
        return error is not null ? error[7..].Trim() : GitProcess.FirstLine(stderr);
    }

    private static void WriteLines(System.Diagnostics.Process process, IReadOnlyList<string> lines)
    {
        var input = process.StandardInput;
        try
        {
            foreach (var line in lines)
            {
                input.Write(line);
                input.Write('\n');
            }

            input.Close();
        }
        catch (IOException)
        {
            // git exited early (it failed): its exit code and standard error say why.
        }
    }

    /// <summary>The command line of a blob-change log over <paramref name="revisions"/>.</summary>
    internal static List<string> Arguments(IEnumerable<string> revisions)
    {
        var args = new List<string>
        {
            "log", "--raw", "-z", "--no-renames", "-c", "--no-abbrev", "--no-textconv", "--no-ext-diff", "--date-order",
            "--format=%x01%H %P",
        };
        args.AddRange(revisions);
        args.Add("--");
        return args;
    }

    internal static void Parse(Stream stream, IChangeSink sink)
    {
        var reader = new NulTokenReader(stream);
        var order = -1;
        var pending = default(RawChange);
        var expectPath = false;
        while (reader.TryRead(out var token))
        {
            if (expectPath)
            {
                expectPath = false;
                if (order >= 0)
                {
                    sink.Change(pending, token, order);
                }

                continue;
            }

            while (token.Length > 0 && token[0] == (byte)'\n')
            {
                token = token[1..];
            }

            if (token.Length == 0)
            {
                continue;
            }

            if (token[0] == 0x01)
            {
                var line = token[1..].TrimEnd((byte)'\n');
                var space = line.IndexOf((byte)' ');
                var sha = space < 0 ? line : line[..space];
                if (!ObjectKey.TryParse(sha, out var commit))
                {
                    throw new GitException("unexpected output from git log: " + Encoding.UTF8.GetString(line));
                }

                order++;
                sink.Commit(commit, order, sha.Length, CountParents(line));
            }
            else if (token[0] == (byte)':')
            {
                pending = RawChange.Parse(token);
                expectPath = true;
            }
        }
    }

    private static int CountParents(ReadOnlySpan<byte> header)
    {
        var n = 0;
        var previous = (byte)' ';
        foreach (var b in header)
        {
            if (b != (byte)' ' && previous == (byte)' ')
            {
                n++;
            }

            previous = b;
        }

        return Math.Max(0, n - 1);
    }

    private static void TryKill(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// One line of `--raw` output: ":oldmode newmode oldsha newsha status" for a commit with one parent, and for a
    /// merge of N parents "::" (N colons), N+1 modes, N+1 shas (each parent's, then the result's) and N statuses.
    /// </summary>
    internal readonly struct RawChange
    {
        private readonly ObjectKey first;
        private readonly ObjectKey[]? more;
        private readonly int blobMask;
        private readonly int gitlinkMask;

        private RawChange(ObjectKey first, ObjectKey[]? more, ObjectKey @new, int parents, int blobMask, int gitlinkMask, bool newIsBlob, bool newIsGitlink)
        {
            this.first = first;
            this.more = more;
            New = @new;
            Parents = parents;
            this.blobMask = blobMask;
            this.gitlinkMask = gitlinkMask;
            NewIsBlob = newIsBlob;
            NewIsGitlink = newIsGitlink;
        }

        public ObjectKey New { get; }

        public bool NewIsBlob { get; }

        public bool NewIsGitlink { get; }

        /// <summary>How many parents the change compares with: 1, or a merge's count.</summary>
        public int Parents { get; }

        /// <summary>The version parent <paramref name="k"/> had (zero when it had none).</summary>
        public ObjectKey Old(int k) => k == 0 ? first : more![k - 1];

        public bool OldIsBlob(int k) => k < 31 && (blobMask & (1 << k)) != 0;

        public bool OldIsGitlink(int k) => k < 31 && (gitlinkMask & (1 << k)) != 0;

        public static RawChange Parse(ReadOnlySpan<byte> token)
        {
            var parents = 0;
            while (parents < token.Length && token[parents] == (byte)':')
            {
                parents++;
            }

            var body = token[parents..];
            var fields = (2 * (parents + 1)) + 1;
            Span<Range> parts = stackalloc Range[Math.Min(fields, 64)];
            var n = 0;
            var at = 0;
            while (n < parts.Length && at <= body.Length)
            {
                var space = body[at..].IndexOf((byte)' ');
                var end = space < 0 ? body.Length : at + space;
                parts[n++] = new Range(at, end);
                at = end + 1;
            }

            if (parents == 0 || parents > 30 || n < fields)
            {
                throw new GitException("unexpected output from git log: " + Encoding.UTF8.GetString(token));
            }

            var blobMask = 0;
            var gitlinkMask = 0;
            ObjectKey first = default;
            ObjectKey[]? more = parents > 1 ? new ObjectKey[parents - 1] : null;
            for (var k = 0; k < parents; k++)
            {
                var mode = body[parts[k]];
                blobMask |= IsBlobMode(mode) ? 1 << k : 0;
                gitlinkMask |= mode.SequenceEqual("160000"u8) ? 1 << k : 0;
                ObjectKey.TryParse(body[parts[parents + 1 + k]], out var key);
                if (k == 0)
                {
                    first = key;
                }
                else
                {
                    more![k - 1] = key;
                }
            }

            var newMode = body[parts[parents]];
            ObjectKey.TryParse(body[parts[(2 * parents) + 1]], out var newKey);
            return new RawChange(first, more, newKey, parents, blobMask, gitlinkMask, IsBlobMode(newMode), newMode.SequenceEqual("160000"u8));
        }

        // 100644, 100755 (and the historic 100664): files; 120000: symbolic links, whose blob is the target path.
        private static bool IsBlobMode(ReadOnlySpan<byte> mode) => mode.Length == 6 && mode[0] == (byte)'1' && (mode[1] == (byte)'0' || mode[1] == (byte)'2');
    }

    /// <summary>Receives a `git log --raw -z -c` stream: commits newest first, each followed by its changes.</summary>
    internal interface IChangeSink
    {
        /// <param name="order">Position of the commit in the log, 0 for the newest.</param>
        void Commit(ObjectKey commit, int order, int hexLength, int parentCount);

        void Change(in RawChange change, ReadOnlySpan<byte> path, int order);
    }

    private sealed class CatalogSink : IChangeSink
    {
        private readonly BlobCatalog catalog;

        public CatalogSink(BlobCatalog catalog) => this.catalog = catalog;

        public void Commit(ObjectKey commit, int order, int hexLength, int parentCount)
        {
            catalog.AddCommit(commit);
            catalog.HexLength = hexLength;
        }

        public void Change(in RawChange change, ReadOnlySpan<byte> pathBytes, int order)
        {
            var gitlink = change.NewIsGitlink;
            for (var k = 0; k < change.Parents; k++)
            {
                gitlink |= change.OldIsGitlink(k);
                if (change.OldIsBlob(k) && !change.Old(k).IsZero && !change.Old(k).Equals(change.New))
                {
                    catalog.Removed(change.Old(k), order, k);
                }
            }

            if (gitlink)
            {
                catalog.Submodule(GitPath.Decode(pathBytes));
            }

            if (change.NewIsBlob && !change.New.IsZero)
            {
                catalog.Added(change.New, catalog.InternPath(GitPath.Decode(pathBytes)), order);
            }
        }
    }
}
