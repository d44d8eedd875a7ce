// Scans every blob reachable from the chosen refs once, each distinct line once, and attributes each secret to the
// commit that introduced it, with its exposure window, its paths and whether HEAD still holds it.
using System.Diagnostics;
using System.Globalization;
using SecretScan.Core;

namespace SecretScan.Git;

public static class HistoryScan
{
    private const string ShallowAdvice = "this is a shallow clone: commits before its boundary are not here and were not scanned (fetch them with `git fetch --unshallow`)";

    /// <summary>Scans the history of the repository that holds <paramref name="path"/>. Throws <see cref="GitException"/> for bad input.</summary>
    public static GitScanResult Run(string path, Scanner scanner, HistoryOptions options, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        using var repo = GitRepository.Open(path);
        var directory = repo.CommandDirectory;
        var revisions = Revisions(repo, options);
        var blobs = new HistoryBlobScan(scanner, options);

        // Every ref, no limits: nearly every blob in the object store is in scope, so read them all in pack order while
        // git log runs next to it (the engine needs no path: paths are applied when findings are attributed). A narrower
        // scope needs the log first, to know which blobs to read.
        var everything = options.Branches.Count == 0 && options.Since is null && options.MaxCommits is null;
        BlobCatalog catalog;
        var logErrors = new List<string>();
        List<ObjectKey> keys;
        TimeSpan logTime = default, blobTime;
        if (everything)
        {
            keys = ListBlobs(directory, null, out var hexLength);
            var expected = keys.Count;
            var log = Task.Run(
                () =>
                {
                    // Sized from the listing: the blob map is the largest thing a history scan keeps, and growing it by
                    // doubling left the old arrays as large-object garbage (8.7 MB map, 8 MB of garbage, at 80k blobs).
                    var c = CommitLog.Read(directory, revisions, logErrors, cancel, expected);
                    logTime = clock.Elapsed;
                    return c;
                },
                cancel);
            try
            {
                var start = clock.Elapsed;
                blobs.Read(directory, keys, hexLength, cancel);
                blobTime = clock.Elapsed - start;
            }
            finally
            {
                // Never leave git log running behind an error.
                try
                {
                    log.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                }
            }

            catalog = log.GetAwaiter().GetResult();
        }
        else
        {
            catalog = CommitLog.Read(directory, revisions, logErrors, cancel);
            logTime = clock.Elapsed;
            keys = ListBlobs(directory, catalog, out var hexLength);
            blobs.Read(directory, keys, hexLength, cancel);
            blobTime = clock.Elapsed - logTime;
        }

        // Blobs the commits name but the object store did not list (missing objects): ask for them, to report them.
        // The listing is no longer needed in pack order: sorted, it answers "was this listed" without a second set.
        keys.Sort();
        var unlisted = catalog.Blobs.Where(b => keys.BinarySearch(b) < 0).ToList();
        keys.Clear();
        keys.TrimExcess();
        if (unlisted.Count > 0)
        {
            blobs.Read(directory, unlisted, catalog.HexLength, cancel);
        }

        var scope = new PathScope(scanner.Rules, options.PathFilter);
        var skips = blobs.Report(catalog, scope);
        if (repo.IsShallow)
        {
            skips.Add(new ScanWarning(ScanWarningKind.Skipped, "", ShallowAdvice));
        }

        foreach (var (submodule, _) in catalog.Submodules)
        {
            if (scope.Includes(submodule))
            {
                skips.Skip(submodule, "submodule: its content is another repository's history and was not scanned (scan that repository)");
            }
        }

        foreach (var error in logErrors)
        {
            skips.Error("", error);
        }

        var head = repo.HeadCommit;
        var headTree = new Dictionary<ObjectKey, List<string>>();
        try
        {
            if (head is not null)
            {
                headTree = TreeListing.Read(directory, head);
            }
        }
        catch (GitException e)
        {
            // The history that could be read is still reported; only "still in HEAD" cannot be told.
            skips.Error("", $"HEAD: its commit {head} cannot be read ({e.Message}): no finding is marked as still in HEAD");
        }
        var findings = Attribute(blobs.Ledger, catalog, repo, head, headTree, scope);
        return new GitScanResult
        {
            Findings = findings,
            Warnings = skips.Warnings(),
            HeadCommit = head,
            RepositoryRoot = directory,
            Statistics = new GitScanStatistics
            {
                Commits = catalog.CommitCount,
                Blobs = catalog.BlobCount,
                BlobsScanned = blobs.Scanned,
                BytesRead = blobs.BytesRead,
                BytesScanned = blobs.BytesScanned,
                DistinctLines = blobs.DistinctLines,
                Skipped = skips.Skipped,
                Errors = skips.Errors,
                Duration = clock.Elapsed,
                LogDuration = logTime,
                BlobDuration = blobTime,
            },
        };
    }

    /// <summary>The `git log` arguments for the scope; every named revision must exist.</summary>
    internal static List<string> Revisions(GitRepository repo, HistoryOptions options)
    {
        var revisions = new List<string>();
        foreach (var branch in options.Branches)
        {
            var sha = repo.ResolveCommit(branch) ?? throw new GitException($"unknown revision '{branch}': no branch, tag or commit of that name in this repository");
            revisions.Add(sha);
        }

        if (revisions.Count == 0)
        {
            revisions.Add("--all");
        }

        if (options.Since is { } since)
        {
            revisions.Add("--since=" + since.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }

        if (options.MaxCommits is { } max)
        {
            revisions.Add("--max-count=" + max.ToString(CultureInfo.InvariantCulture));
        }

        return revisions;
    }

    /// <summary>
    /// Blobs in pack order (`--batch-all-objects --unordered` lists objects as they sit in the packs), so git reads its
    /// packs front to back and reuses delta bases instead of seeking. With a catalog, only the blobs it holds. When git
    /// stops part-way (a broken pack), the blobs listed so far.
    /// </summary>
    private static List<ObjectKey> ListBlobs(string directory, BlobCatalog? catalog, out int hexLength)
    {
        var keys = new List<ObjectKey>(catalog?.BlobCount ?? 1 << 16);
        hexLength = 40;
        using var process = GitProcess.Start(directory, new[] { "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname)", "--unordered" }, redirectInput: false);
        _ = process.StandardError.ReadToEndAsync(); // drained, so git never blocks on it
        Span<byte> hex = stackalloc byte[64];
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            if (!line.StartsWith("blob ", StringComparison.Ordinal) || line.Length - 5 > hex.Length)
            {
                continue;
            }

            var length = System.Text.Encoding.ASCII.GetBytes(line.AsSpan(5), hex);
            if (ObjectKey.TryParse(hex[..length], out var key) && (catalog is null || catalog.Contains(key)))
            {
                keys.Add(key);
                hexLength = length;
            }
        }

        // A pack git refuses (truncated: "cannot be accessed") stops the listing part-way. Nothing is lost by going on:
        // every blob the log names and this did not list is read afterwards, and one git cannot read is an error there.
        process.WaitForExit();
        return keys;
    }

    /// <summary>One finding per secret and place: per HEAD location when HEAD still holds it, else where it was introduced.</summary>
    private static List<Finding> Attribute(SecretLedger ledger, BlobCatalog catalog, GitRepository repo, string? head, Dictionary<ObjectKey, List<string>> headTree, PathScope scope)
    {
        var findings = new List<Finding>();
        foreach (var sighting in ledger.Sightings)
        {
            var rule = sighting.Template.Rule;

            // Only file versions the scope reaches, under paths the scan covers (include/exclude, allowlists).
            var occurrences = new List<(Occurrence Place, BlobOrigin Origin, List<string> Paths)>();
            foreach (var o in sighting.Occurrences)
            {
                if (!catalog.TryGet(o.Blob, out var origin))
                {
                    continue;
                }

                var paths = catalog.PathIds(o.Blob).Select(catalog.Path).Where(p => scope.Includes(p, rule)).ToList();
                if (paths.Count > 0)
                {
                    occurrences.Add((o, origin, paths));
                }
            }

            if (occurrences.Count == 0)
            {
                continue;
            }

            var intro = occurrences[0];
            var latest = occurrences[0];
            foreach (var o in occurrences)
            {
                if (o.Origin.IntroOrder > intro.Origin.IntroOrder || (o.Origin.IntroOrder == intro.Origin.IntroOrder && o.Place.Line < intro.Place.Line))
                {
                    intro = o;
                }

                if (o.Origin.LastOrder < latest.Origin.LastOrder)
                {
                    latest = o;
                }
            }

            var introSha = catalog.Commit(intro.Origin.IntroOrder).ToHex(catalog.HexLength);
            var inHead = new List<(Occurrence Place, string Path)>();
            foreach (var o in occurrences)
            {
                if (headTree.TryGetValue(o.Place.Blob, out var hp))
                {
                    inHead.AddRange(hp.Where(p => scope.Includes(p, rule)).Select(p => (o.Place, p)));
                }
            }

            string lastSha;
            if (inHead.Count > 0)
            {
                lastSha = head!;
            }
            else
            {
                lastSha = catalog.Commit(latest.Origin.LastOrder).ToHex(catalog.HexLength);
                if (latest.Origin.LastParent >= 0 && repo.Describe(lastSha) is { } remover && latest.Origin.LastParent < remover.Parents.Count)
                {
                    // That commit removed it: the parent it came from is the last one that held it.
                    lastSha = remover.Parents[latest.Origin.LastParent];
                }
            }

            var allPaths = new SortedSet<string>(occurrences.SelectMany(o => o.Paths).Concat(inHead.Select(h => h.Path)), StringComparer.Ordinal);
            var history = Attribution.Create(repo, introSha, lastSha, inHead.Count > 0, allPaths, occurrences.Select(o => o.Place.Blob).Distinct().Count());

            var t = sighting.Template;
            if (inHead.Count > 0)
            {
                var places = new HashSet<(string, int, int)>();
                foreach (var (place, p) in inHead)
                {
                    if (places.Add((p, place.Line, place.Column)))
                    {
                        findings.Add(At(t, p, place, introSha, history));
                    }
                }

                continue;
            }

            var introPath = catalog.Path(intro.Origin.PathId);
            findings.Add(At(t, intro.Paths.Contains(introPath) ? introPath : intro.Paths[0], intro.Place, introSha, history));
        }

        return findings
            .OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    private static Finding At(Finding template, string path, Occurrence o, string commit, HistoryInfo history) => template with
    {
        Path = path,
        Line = o.Line,
        Column = o.Column,
        EndLine = o.EndLine,
        EndColumn = o.EndColumn,
        Snippet = o.Snippet,
        Fingerprint = SecretIdentity.Fingerprint(template.RuleId, template.SecretHash, path),
        Commit = commit,
        History = history,
    };
}

/// <summary>Which paths a scan covers: --include/--exclude, the global path allowlist and each rule's own.</summary>
internal sealed class PathScope
{
    private readonly RuleSet rules;
    private readonly Func<string, bool>? filter;
    private readonly Dictionary<string, bool> paths = new(StringComparer.Ordinal);
    private readonly Dictionary<Rule, PathGlob[]> ruleGlobs = new();

    public PathScope(RuleSet rules, Func<string, bool>? filter)
    {
        this.rules = rules;
        this.filter = filter;
    }

    public bool Includes(string path)
    {
        if (!paths.TryGetValue(path, out var inScope))
        {
            inScope = (filter is null || filter(path)) && !rules.IsPathAllowed(path);
            paths.Add(path, inScope);
        }

        return inScope;
    }

    public bool Includes(string path, Rule rule)
    {
        if (!Includes(path))
        {
            return false;
        }

        if (rule.Allow.Paths.Count == 0)
        {
            return true;
        }

        if (!ruleGlobs.TryGetValue(rule, out var globs))
        {
            globs = rule.Allow.Paths.Select(p => new PathGlob(p)).ToArray();
            ruleGlobs.Add(rule, globs);
        }

        return !globs.Any(g => g.IsMatch(path));
    }
}

/// <summary>
/// The blob half of a history scan. The reader thread keeps the seen-line set (ids and "first seen here"); workers
/// run the engine on each blob's new lines with context, without paths (findings get paths when attributed); this
/// thread, in blob order, counts marked lines that were skipped as occurrences, then records the blob's findings.
/// </summary>
internal sealed class HistoryBlobScan
{
    /// <summary>Lines up to this many bytes, line end included, are never looked up: they cannot hold a secret's start.</summary>
    private const int ShortLine = 4;

    private readonly Scanner scanner;
    private readonly HistoryOptions options;
    private readonly SeenLines seen = new(1 << 16);
    private readonly LineMarks marks = new();
    private readonly List<(ObjectKey Blob, string Reason)> skipped = new();
    private readonly List<(ObjectKey Blob, string Message)> failed = new();
    private readonly List<(ObjectKey Blob, ScanWarning Warning)> warnings = new();
    private List<ObjectKey> keys = new();
    private long bytesScanned;
    private long blobsDone;

    public HistoryBlobScan(Scanner scanner, HistoryOptions options)
    {
        this.scanner = scanner;
        this.options = options;
    }

    public ulong Seed { get; } = LineHash.NewSeed();

    public SecretLedger Ledger { get; } = new();

    public int Scanned { get; private set; }

    public long BytesRead { get; private set; }

    public long BytesScanned => Interlocked.Read(ref bytesScanned);

    public long DistinctLines => seen.Count;

    public void Read(string directory, List<ObjectKey> blobKeys, int hexLength, CancellationToken cancel)
    {
        keys = blobKeys;
        BlobStream.Run(directory, new HexList(blobKeys, hexLength), options.MaxBlobSize, Seed, Prepare, Work, Consume, Math.Max(1, options.Threads), cancel);
    }

    /// <summary>What could not be scanned, for the blobs in scope, one warning per path and reason.</summary>
    public SkipLog Report(BlobCatalog catalog, PathScope scope)
    {
        var log = new SkipLog();
        string? PathOf(ObjectKey blob) => catalog.PathIds(blob).Select(catalog.Path).FirstOrDefault(scope.Includes);
        foreach (var (blob, reason) in skipped)
        {
            if (PathOf(blob) is { } p)
            {
                log.Skip(p, reason);
            }
        }

        foreach (var (blob, message) in failed)
        {
            if (PathOf(blob) is { } p && catalog.TryGet(blob, out var origin))
            {
                log.Error(p, $"cannot read blob {blob.ToHex(catalog.HexLength)} (added in commit {catalog.Commit(origin.IntroOrder).ToHex(catalog.HexLength)}): {message}");
            }
        }

        foreach (var (blob, warning) in warnings)
        {
            if (PathOf(blob) is { } p)
            {
                log.Add(warning with { Path = p });
            }
        }

        return log;
    }

    /// <summary>Reader thread, blob order: line ids, and which lines this blob is the first to hold.</summary>
    private void Prepare(PreparedBlob blob)
    {
        if (blob.Kind == BlobKind.WideText)
        {
            blob.NeedsWork = true;
            return;
        }

        if (blob.Lines is not { } lines)
        {
            return;
        }

        var ids = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, lines.Count));
        var isNew = System.Buffers.ArrayPool<bool>.Shared.Rent(Math.Max(1, lines.Count));
        var any = false;
        const int Ahead = 8;
        for (var i = 0; i < Math.Min(Ahead, lines.Count); i++)
        {
            seen.Prefetch(lines.Hash(i));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if (i + Ahead < lines.Count)
            {
                seen.Prefetch(lines.Hash(i + Ahead));
            }

            // Lines of a few bytes ("}", "", "  end") hold no secret to start; they stay out of the set (a third of
            // the lookups in C code) and only ever come back as context.
            if (lines.Start(i + 1) - lines.Start(i) <= ShortLine)
            {
                ids[i] = -1;
                isNew[i] = false;
                continue;
            }

            ids[i] = seen.Add(lines.Hash(i), out var added);
            isNew[i] = added;
            any |= added;
        }

        blob.LineIds = ids;
        blob.IsNew = isNew;
        blob.NeedsWork = any;
    }

    /// <summary>Worker thread, any order: the engine on the new lines and their context.</summary>
    private void Work(PreparedBlob blob)
    {
        var result = new ScanResult();
        long scanned = 0;
        if (blob.Kind == BlobKind.WideText)
        {
            scanner.Scan(new TextFragment(blob.WholeText(), ""), result);
            scanned = blob.Data.Length;
        }
        else
        {
            SegmentScan.Run(scanner, blob.Text, blob.Lines!, blob.IsNew.AsSpan(0, blob.Lines!.Count), options.ContextLines, "", result, ref scanned);
        }

        Interlocked.Add(ref bytesScanned, scanned);
        blob.Result = result;
    }

    /// <summary>This thread, blob order: findings, marks, and occurrences on lines skipped as already seen.</summary>
    private void Consume(PreparedBlob blob)
    {
        var data = blob.Data;
        var key = keys[data.Index];
        BytesRead += data.Length;
        if (++blobsDone % 256 == 0)
        {
            options.OnProgress?.Invoke(blobsDone, BytesRead, Ledger.Count);
        }

        switch (data.Status)
        {
            case BlobStatus.Missing:
            case BlobStatus.Failed:
                failed.Add((key, data.Message ?? "cannot read"));
                return;
            case BlobStatus.TooLarge:
                skipped.Add((key, $"larger than the size limit ({data.Size:N0} > {options.MaxBlobSize:N0} bytes; raise it with --max-file-size)"));
                return;
        }

        switch (blob.Kind)
        {
            case BlobKind.Binary:
                skipped.Add((key, "binary file"));
                return;
            case BlobKind.LfsPointer:
                skipped.Add((key, "Git LFS pointer: the content is stored outside the repository and was not scanned"));
                return;
            case BlobKind.Empty:
                return;
        }

        Scanned++;
        if (blob.Result is { } result)
        {
            foreach (var f in result.Findings)
            {
                if (blob.Lines is { } l)
                {
                    var i = f.Line - 1;
                    if (blob.LineIds![i] >= 0)
                    {
                        marks.Mark(blob.LineIds[i]);
                    }

                    Ledger.Record(f, key, l.Hash(i));
                }
                else
                {
                    Ledger.Record(f, key, null);
                }
            }

            foreach (var w in result.Warnings)
            {
                warnings.Add((key, w));
            }
        }

        if (blob.Lines is { } lines)
        {
            var ids = blob.LineIds!;
            var isNew = blob.IsNew!;
            for (var i = 0; i < lines.Count; i++)
            {
                if (!isNew[i] && ids[i] >= 0 && marks.IsMarked(ids[i]))
                {
                    Ledger.Recheck(lines.Hash(i), key, i, lines.Count, blob.LineText);
                }
            }
        }
    }
}

/// <summary>Object ids as git wants them on stdin, made when asked for, so a list of 200,000 blobs costs 32 bytes each.</summary>
internal sealed class HexList : IReadOnlyList<string>
{
    private readonly List<ObjectKey> keys;
    private readonly int hexLength;

    public HexList(List<ObjectKey> keys, int hexLength)
    {
        this.keys = keys;
        this.hexLength = hexLength;
    }

    public int Count => keys.Count;

    public string this[int index] => keys[index].ToHex(hexLength);

    public IEnumerator<string> GetEnumerator() => keys.Select(k => k.ToHex(hexLength)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
