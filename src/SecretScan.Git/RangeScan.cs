// Pull-request mode: scans exactly the commits of BASE..HEAD and reports only the lines they added (compared with
// each commit's parents), attributed to the first commit in the range that added them. Fails loudly, never
// silently scanning nothing, when a shallow clone lacks the history the range needs.
using System.Diagnostics;
using System.Globalization;
using SecretScan.Core;

namespace SecretScan.Git;

public static class RangeScan
{
    public static GitScanResult Run(string path, Scanner scanner, string range, HistoryOptions options, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        using var repo = GitRepository.Open(path);
        var directory = repo.CommandDirectory;
        var (baseRev, headRev, symmetric) = Parse(range);
        var headSha = repo.ResolveCommit(headRev) ?? throw new GitException(
            repo.IsHeadUnborn && headRev == "HEAD" ? "HEAD has no commit yet: nothing to compare the range with" : $"unknown revision '{headRev}' in --range {range}");
        var baseSha = repo.ResolveCommit(baseRev) ?? throw new GitException(repo.IsShallow
            ? $"base revision '{baseRev}' of --range {range} is not in this shallow clone ({Depth(directory, headSha)} commits deep): {DeepenAdvice(directory, headSha)}"
            : $"unknown revision '{baseRev}' in --range {range}: no branch, tag or commit of that name in this repository");

        if (repo.IsShallow || symmetric)
        {
            var mergeBase = MergeBase(directory, baseSha, headSha);
            if (mergeBase is null)
            {
                throw new GitException(repo.IsShallow
                    ? $"--range {range}: this shallow clone does not reach back to where {baseRev} and {headRev} meet: {DeepenAdvice(directory, headSha)}"
                    : $"--range {range}: {baseRev} and {headRev} have no common ancestor");
            }

            if (symmetric)
            {
                baseSha = mergeBase;
            }
        }

        var commits = GitProcess.Run(directory, "rev-list", baseSha + ".." + headSha).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (repo.IsShallow && Boundary(directory) is { Count: > 0 } boundary && commits.FirstOrDefault(boundary.Contains) is { } cut)
        {
            throw new GitException($"--range {range} reaches the shallow boundary at {cut[..12]} before {baseRev}: {DeepenAdvice(directory, headSha)}");
        }

        var skips = new SkipLog();
        var warnings = new List<ScanWarning>();
        if (commits.Length == 0)
        {
            warnings.Add(new ScanWarning(ScanWarningKind.Skipped, "", $"the range {range} holds no commits ({headRev} is already in {baseRev}); nothing was scanned"));
            return Result(Array.Empty<Finding>(), warnings, headSha, directory, 0, 0, 0, 0, 0, skips, clock);
        }

        var sink = new RangeSink();
        CommitLog.Run(directory, CommitLog.Arguments(new[] { baseSha + ".." + headSha }), sink, cancel);
        var changes = sink.Changes;
        foreach (var submodule in sink.Submodules)
        {
            skips.Skip(submodule, "submodule: its content is another repository and was not scanned");
        }

        var seed = LineHash.NewSeed();
        var oldBlobs = changes.SelectMany(c => c.Old).Distinct().ToList();
        var oldLines = new Dictionary<ObjectKey, HashSet<ulong>?>();
        BlobStream.Run(directory, oldBlobs.Select(k => k.ToHex(sink.HexLength)).ToList(), options.MaxBlobSize, seed, blob =>
        {
            oldLines[oldBlobs[blob.Data.Index]] = blob.Kind == BlobKind.Text ? new HashSet<ulong>(blob.Lines!.Hashes.ToArray()) : null;
        }, cancel);

        var byNew = changes.GroupBy(c => c.New).ToDictionary(g => g.Key, g => g.ToList());
        var newBlobs = byNew.Keys.ToList();
        var found = new List<(Finding Finding, RangeChange Change)>();
        long read = 0, scannedBytes = 0;
        var scanned = 0;
        BlobStream.Run(directory, newBlobs.Select(k => k.ToHex(sink.HexLength)).ToList(), options.MaxBlobSize, seed, blob =>
        {
            read += blob.Data.Length;
            foreach (var change in byNew[newBlobs[blob.Data.Index]])
            {
                if ((options.PathFilter is not null && !options.PathFilter(change.Path)) || scanner.Rules.IsPathAllowed(change.Path))
                {
                    continue;
                }

                switch (blob.Data.Status)
                {
                    case BlobStatus.Missing:
                    case BlobStatus.Failed:
                        skips.Error(change.Path, $"cannot read blob {blob.Data.Id}: {blob.Data.Message}");
                        continue;
                    case BlobStatus.TooLarge:
                        skips.Skip(change.Path, $"larger than the size limit ({blob.Data.Size:N0} > {options.MaxBlobSize:N0} bytes; raise it with --max-file-size)");
                        continue;
                }

                switch (blob.Kind)
                {
                    case BlobKind.Empty:
                        continue;
                    case BlobKind.Binary:
                        skips.Skip(change.Path, "binary file");
                        continue;
                    case BlobKind.LfsPointer:
                        skips.Skip(change.Path, "Git LFS pointer: the content is stored outside the repository and was not scanned");
                        continue;
                }

                scanned++;
                if (blob.Kind == BlobKind.WideText)
                {
                    foreach (var f in StagedScan.NewInWholeText(scanner, blob.WholeText(), null, change.Path, warnings))
                    {
                        found.Add((f, change));
                    }

                    continue;
                }

                HashSet<ulong>? old = null;
                foreach (var o in change.Old)
                {
                    if (oldLines.GetValueOrDefault(o) is { } set)
                    {
                        old ??= new HashSet<ulong>();
                        old.UnionWith(set);
                    }
                }

                foreach (var f in AddedLines.Scan(scanner, blob.Text, blob.Lines!, old, options.ContextLines, change.Path, warnings, ref scannedBytes))
                {
                    found.Add((f, change));
                }
            }
        }, cancel);

        var findings = Attribute(found, sink, repo, directory, headSha);
        warnings.AddRange(skips.Warnings());
        return Result(findings, warnings, headSha, directory, commits.Length, newBlobs.Count, scanned, read, scannedBytes, skips, clock);
    }

    /// <summary>"A..B", "A...B" (from where they meet, as pull requests compare), "A.." (to HEAD).</summary>
    internal static (string Base, string Head, bool Symmetric) Parse(string range)
    {
        var symmetric = range.Contains("...", StringComparison.Ordinal);
        var parts = range.Split(symmetric ? "..." : "..", 2);
        if (parts.Length != 2 || parts[0].Trim().Length == 0)
        {
            throw new GitException($"--range {range}: expected BASE..HEAD (or BASE...HEAD), e.g. origin/main..HEAD");
        }

        var head = parts[1].Trim();
        return (parts[0].Trim(), head.Length == 0 ? "HEAD" : head, symmetric);
    }

    private static string? MergeBase(string directory, string a, string b)
    {
        var (code, stdout, _) = GitProcess.TryRun(directory, "merge-base", a, b);
        return code == 0 && stdout.Trim().Length > 0 ? stdout.Trim() : null;
    }

    private static int Depth(string directory, string head) =>
        int.TryParse(GitProcess.TryRun(directory, "rev-list", "--count", head).StdOut.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string DeepenAdvice(string directory, string head)
    {
        var depth = Depth(directory, head);
        return $"it needs a fetch depth above {depth} (more than the {depth} commits it has): run `git fetch --deepen={Math.Max(depth, 50)}` (repeat as needed) or `git fetch --unshallow`; in GitHub Actions use actions/checkout with fetch-depth: 0";
    }

    /// <summary>The commits whose parents a shallow clone lacks.</summary>
    private static HashSet<string> Boundary(string directory)
    {
        var file = GitProcess.TryRun(directory, "rev-parse", "--path-format=absolute", "--git-path", "shallow").StdOut.Trim();
        return file.Length > 0 && File.Exists(file)
            ? new HashSet<string>(File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0), StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>();
    }

    private static List<Finding> Attribute(List<(Finding Finding, RangeChange Change)> found, RangeSink sink, GitRepository repo, string directory, string headSha)
    {
        var findings = new List<Finding>();
        if (found.Count == 0)
        {
            return findings;
        }

        // Where the range's end still holds each path, to tell "still present" and to point at today's line.
        var tipBlobs = TreeListing.Read(directory, headSha);
        var tipByPath = new Dictionary<string, ObjectKey>(StringComparer.Ordinal);
        foreach (var (blob, paths) in tipBlobs)
        {
            foreach (var p in paths)
            {
                tipByPath[p] = blob;
            }
        }

        var tipTexts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var group in found.GroupBy(x => (x.Finding.RuleId, x.Finding.SecretHash)))
        {
            var items = group.ToList();
            var intro = items.OrderByDescending(x => x.Change.Order).ThenBy(x => x.Change.Path, StringComparer.Ordinal).ThenBy(x => x.Finding.Line).First();
            var newest = items.OrderBy(x => x.Change.Order).First();
            var secret = intro.Finding.Secret;
            var paths = new SortedSet<string>(items.Select(x => x.Change.Path), StringComparer.Ordinal);

            var atTip = new List<Finding>();
            foreach (var p in paths)
            {
                if (!tipByPath.TryGetValue(p, out var blob))
                {
                    continue;
                }

                if (!tipTexts.TryGetValue(p, out var text))
                {
                    text = ReadText(directory, blob.ToHex(sink.HexLength));
                    tipTexts[p] = text;
                }

                for (var at = text?.IndexOf(secret, StringComparison.Ordinal) ?? -1; at >= 0; at = text!.IndexOf(secret, at + secret.Length, StringComparison.Ordinal))
                {
                    var (line, column) = Locate(text!, at);
                    var (endLine, endColumn) = Locate(text!, at + secret.Length);
                    atTip.Add(intro.Finding with { Path = p, Line = line, Column = column, EndLine = endLine, EndColumn = endColumn });
                }
            }

            var introSha = sink.Commit(intro.Change.Order);
            var lastSha = atTip.Count > 0 ? headSha : sink.Commit(newest.Change.Order);
            var history = Attribution.Create(repo, introSha, lastSha, atTip.Count > 0, paths, items.Select(x => x.Change.New).Distinct().Count());

            var reported = atTip.Count > 0 ? atTip : new List<Finding> { intro.Finding with { Path = intro.Change.Path } };
            foreach (var f in reported)
            {
                findings.Add(f with { Fingerprint = SecretIdentity.Fingerprint(f.RuleId, f.SecretHash, f.Path), Commit = introSha, History = history });
            }
        }

        return findings.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal).ToList();
    }

    private static string? ReadText(string directory, string blob)
    {
        foreach (var data in new BlobPipe(directory, 0).Read(new[] { blob }))
        {
            using (data)
            {
                var kind = BlobText.Classify(data.Content, out var bom, out var wide);
                return kind is BlobKind.Text or BlobKind.WideText ? (wide ?? System.Text.Encoding.UTF8).GetString(data.Buffer, bom, data.Length - bom) : null;
            }
        }

        return null;
    }

    /// <summary>1-based line and UTF-16 column of an offset, as the engine counts them.</summary>
    private static (int Line, int Column) Locate(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = text.IndexOf('\n'); i >= 0 && i < offset; i = text.IndexOf('\n', i + 1))
        {
            line++;
            lineStart = i + 1;
        }

        return (line, offset - lineStart + 1);
    }

    private static GitScanResult Result(IReadOnlyList<Finding> findings, List<ScanWarning> warnings, string head, string directory, int commits, int blobs, int scanned, long read, long scannedBytes, SkipLog skips, Stopwatch clock) => new()
    {
        Findings = findings,
        Warnings = warnings,
        HeadCommit = head,
        RepositoryRoot = directory,
        Statistics = new GitScanStatistics
        {
            Commits = commits,
            Blobs = blobs,
            BlobsScanned = scanned,
            BytesRead = read,
            BytesScanned = scannedBytes,
            Skipped = skips.Skipped,
            Errors = skips.Errors,
            Duration = clock.Elapsed,
        },
    };

    /// <summary>One path a commit changed: its new blob and the blobs it replaced (one per parent that differed).</summary>
    internal sealed record RangeChange(int Order, string Path, ObjectKey New, List<ObjectKey> Old);

    private sealed class RangeSink : CommitLog.IChangeSink
    {
        private readonly List<ObjectKey> commits = new();

        public int HexLength { get; private set; } = 40;

        public SortedSet<string> Submodules { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// The changes that added something. A merge lists only paths that differ from every parent (the combined
        /// diff), so what it took unchanged from one side, whose own commits are in the range or already merged,
        /// does not count again.
        /// </summary>
        public List<RangeChange> Changes { get; } = new();

        public string Commit(int order) => commits[order].ToHex(HexLength);

        public void Commit(ObjectKey commit, int order, int hexLength, int parentCount)
        {
            commits.Add(commit);
            HexLength = hexLength;
        }

        public void Change(in CommitLog.RawChange change, ReadOnlySpan<byte> pathBytes, int order)
        {
            var path = GitPath.Decode(pathBytes);
            if (change.NewIsGitlink)
            {
                Submodules.Add(path);
            }

            if (!change.NewIsBlob || change.New.IsZero)
            {
                return;
            }

            var old = new List<ObjectKey>(change.Parents);
            for (var k = 0; k < change.Parents; k++)
            {
                if (change.OldIsBlob(k) && !change.Old(k).IsZero)
                {
                    old.Add(change.Old(k));
                }
            }

            Changes.Add(new RangeChange(order, path, change.New, old));
        }
    }
}
