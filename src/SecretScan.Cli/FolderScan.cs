// Scans the files of a folder in parallel with one engine: reads, detects binary and encoding, windows huge files.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;
using SecretScan.Core;
using SecretScan.Reporting;

namespace SecretScan.Cli;

internal sealed record FolderScanResult(IReadOnlyList<Finding> Findings, IReadOnlyList<ScanWarning> Warnings, ScanStatistics Statistics);

internal sealed class FolderScan
{
    /// <summary>Files up to this size are read whole; larger ones are streamed in overlapping windows.</summary>
    internal const int WholeFileLimit = 8 << 20;

    private const int BinaryProbeBytes = 8000;

    private readonly Scanner scanner;
    private readonly long maxFileSize;
    private readonly int threads;

    public FolderScan(Scanner scanner, long maxFileSize, int threads)
    {
        this.scanner = scanner;
        this.maxFileSize = maxFileSize;
        this.threads = threads;
    }

    /// <summary>Called after each file with the running totals, for the progress display.</summary>
    public Action<long, long, long>? OnProgress { get; init; }

    /// <summary>Called between the listing and the open: tests swap a file here to replay a race deterministically.</summary>
    internal Action<ScanTarget>? BeforeOpen { get; init; }

    public FolderScanResult Run(FolderWalker walker)
    {
        var clock = Stopwatch.StartNew();
        var findings = new ConcurrentBag<Finding>();
        var warnings = new ConcurrentQueue<ScanWarning>();
        long scanned = 0, bytes = 0, skipped = 0, errors = 0, found = 0;

        void Skip(SkippedEntry s)
        {
            warnings.Enqueue(new ScanWarning(s.IsError ? ScanWarningKind.Error : ScanWarningKind.Skipped, s.RelativePath, s.Reason));
            Interlocked.Increment(ref s.IsError ? ref errors : ref skipped);
        }

        var targets = walker.Walk(s => Skip(s));
        Parallel.ForEach(
            targets,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new ScanResult(),
            (target, _, local) =>
            {
                var before = local.Findings.Count;
                var outcome = ScanFile(target, local);
                switch (outcome.Kind)
                {
                    case ScanWarningKind.Skipped:
                        Skip(new SkippedEntry(target.RelativePath, outcome.Reason!, IsError: false));
                        break;
                    case ScanWarningKind.Error:
                        Skip(new SkippedEntry(target.RelativePath, outcome.Reason!, IsError: true));
                        break;
                    default:
                        Interlocked.Increment(ref scanned);
                        Interlocked.Add(ref bytes, target.Length);
                        break;
                }

                var total = Interlocked.Add(ref found, local.Findings.Count - before);
                OnProgress?.Invoke(Interlocked.Read(ref scanned), Interlocked.Read(ref bytes), total);
                return local;
            },
            local =>
            {
                foreach (var f in local.Findings)
                {
                    findings.Add(f);
                }

                foreach (var w in local.Warnings)
                {
                    warnings.Enqueue(w);
                }
            });

        var ordered = findings
            .OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToArray();
        var orderedWarnings = warnings.OrderBy(w => w.Path, StringComparer.Ordinal).ThenBy(w => w.RuleId, StringComparer.Ordinal).ToArray();
        return new FolderScanResult(ordered, orderedWarnings, new ScanStatistics { FilesScanned = (int)scanned, BytesScanned = bytes, FilesSkipped = (int)skipped, Errors = (int)errors, Duration = clock.Elapsed });
    }

    private (ScanWarningKind? Kind, string? Reason) ScanFile(ScanTarget target, ScanResult result)
    {
        // Allowlisted for every rule: not worth opening.
        if (target.Length == 0 || scanner.Rules.IsPathAllowed(target.RelativePath))
        {
            return (null, null);
        }

        if (maxFileSize > 0 && target.Length > maxFileSize)
        {
            return (ScanWarningKind.Skipped, $"larger than the size limit ({target.Length:N0} > {maxFileSize:N0} bytes; raise it with --max-file-size)");
        }

        try
        {
            BeforeOpen?.Invoke(target);
            var opened = RegularFile.Open(target.FullPath);
            if (opened.Handle is null)
            {
                return (ScanWarningKind.Skipped, opened.Refusal);
            }

            using var handle = opened.Handle;
            var head = new byte[(int)Math.Min(target.Length, target.Length <= WholeFileLimit ? target.Length : BinaryProbeBytes)];
            var read = ReadFully(handle, head);
            var encoding = DetectEncoding(head, read, out var bomLength);
            if (encoding is null)
            {
                return (ScanWarningKind.Skipped, "binary file");
            }

            if (target.Length <= WholeFileLimit)
            {
                var text = encoding.GetString(head, bomLength, read - bomLength);
                scanner.Scan(new TextFragment(text, target.RelativePath), result);
            }
            else
            {
                using var stream = new FileStream(handle, FileAccess.Read, 1) { Position = bomLength };
                using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
                scanner.Scan(reader, target.RelativePath, result);
            }

            return (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (ScanWarningKind.Error, "cannot read: " + e.Message);
        }
    }

    private static int ReadFully(SafeFileHandle handle, byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>UTF-8 (the default, invalid bytes become U+FFFD) or UTF-16/32 by BOM; null for binary (a NUL byte in the first 8000 bytes, as git decides).</summary>
    internal static Encoding? DetectEncoding(byte[] head, int length, out int bomLength)
    {
        bomLength = 0;
        if (length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        {
            bomLength = 3;
            return Encoding.UTF8;
        }

        if (length >= 4 && head[0] == 0xFF && head[1] == 0xFE && head[2] == 0 && head[3] == 0)
        {
            bomLength = 4;
            return Encoding.UTF32;
        }

        if (length >= 2 && head[0] == 0xFF && head[1] == 0xFE)
        {
            bomLength = 2;
            return Encoding.Unicode;
        }

        if (length >= 2 && head[0] == 0xFE && head[1] == 0xFF)
        {
            bomLength = 2;
            return Encoding.BigEndianUnicode;
        }

        var probe = Math.Min(length, BinaryProbeBytes);
        return Array.IndexOf(head, (byte)0, 0, probe) >= 0 ? null : Encoding.UTF8;
    }
}
