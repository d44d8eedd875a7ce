// What a git scan (history, range or staged) returns: findings with their history, warnings and counters.
using SecretScan.Core;

namespace SecretScan.Git;

public sealed record GitScanStatistics
{
    /// <summary>Commits whose changes were read.</summary>
    public int Commits { get; init; }

    /// <summary>Distinct blobs (file versions) in scope.</summary>
    public int Blobs { get; init; }

    /// <summary>Blobs read and scanned as text.</summary>
    public int BlobsScanned { get; init; }

    /// <summary>Bytes of blob content read from git.</summary>
    public long BytesRead { get; init; }

    /// <summary>Bytes the engine actually ran on, after skipping lines already seen (context lines included).</summary>
    public long BytesScanned { get; init; }

    /// <summary>Distinct lines seen (history scans).</summary>
    public long DistinctLines { get; init; }

    /// <summary>Blobs skipped: binary, LFS pointers, over the size limit, allowlisted or excluded paths.</summary>
    public int Skipped { get; init; }

    /// <summary>Blobs git could not read (missing or corrupt objects).</summary>
    public int Errors { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Time until the commit log was read (it runs next to the blob reading when every ref is scanned).</summary>
    public TimeSpan LogDuration { get; init; }

    /// <summary>Time spent reading and scanning blobs.</summary>
    public TimeSpan BlobDuration { get; init; }
}

public sealed class GitScanResult
{
    public required IReadOnlyList<Finding> Findings { get; init; }

    public required IReadOnlyList<ScanWarning> Warnings { get; init; }

    public required GitScanStatistics Statistics { get; init; }

    /// <summary>The repository's work tree root (or its folder when bare): finding paths are relative to it.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The commit whose tree decides "still present" (HEAD, or the end of a range); null on an unborn branch.</summary>
    public string? HeadCommit { get; init; }
}
