// What part of history to scan, and how.
namespace SecretScan.Git;

public sealed record HistoryOptions
{
    /// <summary>Revisions to start from (branches, tags, shas); empty means every ref (`--all`).</summary>
    public IReadOnlyList<string> Branches { get; init; } = Array.Empty<string>();

    /// <summary>Only commits made at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only the newest N commits.</summary>
    public int? MaxCommits { get; init; }

    /// <summary>Blobs larger than this are skipped and reported; 0 means no limit.</summary>
    public long MaxBlobSize { get; init; } = 100L << 20;

    /// <summary>
    /// Lines kept around every new line when lines already seen are skipped: enough for PEM armour, a service-account
    /// JSON's "type" field, and rules that look for a keyword on the line above.
    /// </summary>
    public int ContextLines { get; init; } = 3;

    /// <summary>Threads running the engine (git and the blob reader run beside them).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Which paths to scan (include/exclude globs); null scans every path.</summary>
    public Func<string, bool>? PathFilter { get; init; }

    /// <summary>Called now and then with blobs done, bytes read and distinct secrets so far.</summary>
    public Action<long, long, long>? OnProgress { get; init; }
}
