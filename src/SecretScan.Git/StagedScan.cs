// Scans what `git commit` would add: the index version of every path that differs from HEAD, added lines only,
// with the staged file's line numbers. In-process through LibGit2Sharp (index, tree diff, blob reads), no git spawn.
using System.Diagnostics;
using LibGit2Sharp;
using SecretScan.Core;

namespace SecretScan.Git;

public static class StagedScan
{
    public static GitScanResult Run(string path, Scanner scanner, HistoryOptions options) => Run(path, _ => scanner, options);

    /// <summary>
    /// Reads the staged changes first, then asks <paramref name="scannerFor"/> for an engine given every piece of text
    /// that will be scanned: a pre-commit hook can then build only the rules whose keywords occur in a few added
    /// lines instead of all of them, which is most of a small scan's cost.
    /// </summary>
    public static GitScanResult Run(string path, Func<string, Scanner> scannerFor, HistoryOptions options)
    {
        var clock = Stopwatch.StartNew();
        using var repo = GitRepository.Open(path);
        if (repo.IsBare)
        {
            throw new GitException($"{path}: --staged needs a work tree and an index, and this repository is bare");
        }

        var native = repo.Native;

        // On an unborn branch (no commit yet) every staged file is new: compare with the empty tree.
        var head = native.Head.Tip?.Tree;
        TreeChanges changes;
        try
        {
            changes = native.Diff.Compare<TreeChanges>(head, DiffTargets.Index, null, null, new CompareOptions { Similarity = SimilarityOptions.Renames });
        }
        catch (LibGit2SharpException e)
        {
            throw new GitException($"{path}: cannot read the index: {e.Message}", e);
        }

        var seed = LineHash.NewSeed();
        var skips = new SkipLog();
        var files = new List<StagedFile>();
        long read = 0;
        var total = 0;
        foreach (var change in changes)
        {
            if (change.Status is not (ChangeKind.Added or ChangeKind.Modified or ChangeKind.Renamed or ChangeKind.Copied or ChangeKind.TypeChanged))
            {
                continue;
            }

            total++;
            var file = change.Path.Replace('\\', '/');
            if (options.PathFilter is not null && !options.PathFilter(file))
            {
                continue;
            }

            if (change.Mode == Mode.GitLink)
            {
                skips.Skip(file, "submodule: its content is another repository and was not scanned");
                continue;
            }

            if (!IsFile(change.Mode))
            {
                continue;
            }

            var blob = native.Lookup<Blob>(change.Oid);
            if (blob is null)
            {
                skips.Error(file, $"staged blob {change.Oid.Sha} is missing from the object database");
                continue;
            }

            if (options.MaxBlobSize > 0 && blob.Size > options.MaxBlobSize)
            {
                skips.Skip(file, $"larger than the size limit ({blob.Size:N0} > {options.MaxBlobSize:N0} bytes; raise it with --max-file-size)");
                continue;
            }

            var content = Content(blob);
            read += content.Length;
            var kind = BlobText.Classify(content, out var bom, out var wide);
            switch (kind)
            {
                case BlobKind.Empty:
                    continue;
                case BlobKind.Binary:
                    skips.Skip(file, "binary file");
                    continue;
                case BlobKind.LfsPointer:
                    skips.Skip(file, "Git LFS pointer: the content is stored outside the repository and was not scanned");
                    continue;
            }

            var old = change.OldOid is { } oldId && !oldId.Equals(ObjectId.Zero) && IsFile(change.OldMode) ? native.Lookup<Blob>(oldId) : null;
            if (kind == BlobKind.WideText)
            {
                files.Add(new StagedFile(file, content, bom, wide, null, null, old is null ? null : Content(old)));
                continue;
            }

            HashSet<ulong>? oldLines = null;
            if (old is not null)
            {
                var oldContent = Content(old);
                if (BlobText.Classify(oldContent, out var oldBom, out _) == BlobKind.Text)
                {
                    oldLines = AddedLines.Hashes(oldContent.AsSpan(oldBom), seed);
                }
            }

            var lines = LineIndex.Build(content.AsSpan(bom), seed);
            var keep = new bool[lines.Count];
            if (AddedLines.Mark(lines, oldLines, keep) == 0)
            {
                lines.Dispose();
                continue;
            }

            files.Add(new StagedFile(file, content, bom, null, lines, keep, null));
        }

        var warnings = new List<ScanWarning>();
        var findings = new List<Finding>();
        long scannedBytes = 0;
        if (files.Count > 0)
        {
            var scanner = scannerFor(string.Join("\n", files.Select(f => f.Lines is null ? f.WholeText() : f.AddedText(options.ContextLines))));
            foreach (var f in files)
            {
                if (scanner.Rules.IsPathAllowed(f.Path))
                {
                    continue;
                }

                if (f.Lines is null)
                {
                    findings.AddRange(NewInWholeText(scanner, f.WholeText(), f.Old, f.Path, warnings));
                    scannedBytes += f.Content.Length;
                    continue;
                }

                findings.AddRange(AddedLines.Scan(scanner, f.Content.AsSpan(f.Bom), f.Lines, f.Keep!, options.ContextLines, f.Path, warnings, ref scannedBytes));
                f.Lines.Dispose();
            }
        }

        warnings.AddRange(skips.Warnings());
        return new GitScanResult
        {
            Findings = findings.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal).ToList(),
            Warnings = warnings,
            HeadCommit = repo.HeadCommit,
            RepositoryRoot = repo.CommandDirectory,
            Statistics = new GitScanStatistics
            {
                Blobs = total,
                BlobsScanned = files.Count,
                BytesRead = read,
                BytesScanned = scannedBytes,
                Skipped = skips.Skipped,
                Errors = skips.Errors,
                Duration = clock.Elapsed,
            },
        };
    }

    /// <summary>One staged file to scan: its content, and for UTF-8 text its lines and which of them are added.</summary>
    private sealed record StagedFile(string Path, byte[] Content, int Bom, System.Text.Encoding? Wide, LineIndex? Lines, bool[]? Keep, byte[]? Old)
    {
        public string WholeText() => (Wide ?? System.Text.Encoding.UTF8).GetString(Content, Bom, Content.Length - Bom);

        /// <summary>The added lines with their context, as the engine will see them.</summary>
        public string AddedText(int context)
        {
            var sb = new System.Text.StringBuilder();
            for (var i = 0; i < Lines!.Count; i++)
            {
                var near = false;
                for (var j = Math.Max(0, i - context); j <= Math.Min(Lines.Count - 1, i + context) && !near; j++)
                {
                    near = Keep![j];
                }

                if (near)
                {
                    sb.Append(System.Text.Encoding.UTF8.GetString(Content, Bom + Lines.Start(i), Lines.Start(i + 1) - Lines.Start(i)));
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>Regular files, executables and symbolic links (whose blob is the target path).</summary>
    private static bool IsFile(Mode mode) => mode is Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.SymbolicLink;

    private static byte[] Content(Blob blob)
    {
        using var stream = blob.GetContentStream();
        var buffer = new byte[blob.Size];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>UTF-16/32 files (rare) are not split into lines: a finding is new when the old version did not hold the same secret.</summary>
    internal static IEnumerable<Finding> NewInWholeText(Scanner scanner, string text, byte[]? old, string path, List<ScanWarning> warnings)
    {
        var result = scanner.Scan(new TextFragment(text, path));
        warnings.AddRange(result.Warnings);
        if (old is null)
        {
            return result.Findings;
        }

        BlobText.Classify(old, out var bom, out var wide);
        var before = scanner.Scan(new TextFragment((wide ?? System.Text.Encoding.UTF8).GetString(old, bom, old.Length - bom), path));
        var known = new HashSet<(string, string)>(before.Findings.Select(f => (f.RuleId, f.SecretHash)));
        return result.Findings.Where(f => !known.Contains((f.RuleId, f.SecretHash)));
    }
}
