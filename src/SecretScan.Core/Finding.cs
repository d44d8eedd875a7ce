// What the engine reports: findings with their location and identity, and warnings about text it could not fully scan.
namespace SecretScan.Core;

/// <summary>A secret found by a rule. Holds the raw secret in memory only; every writer uses <see cref="Redacted"/> unless told otherwise.</summary>
public sealed record Finding
{
    public required Rule Rule { get; init; }

    /// <summary>Path relative to the scan root, with '/' separators.</summary>
    public required string Path { get; init; }

    /// <summary>1-based line and column (UTF-16 code units) where the secret starts.</summary>
    public required int Line { get; init; }

    public required int Column { get; init; }

    /// <summary>1-based line and column one past the secret's last character.</summary>
    public required int EndLine { get; init; }

    public required int EndColumn { get; init; }

    /// <summary>The raw secret. Never written by default.</summary>
    public required string Secret { get; init; }

    public required string Redacted { get; init; }

    /// <summary>See <see cref="SecretIdentity.HashSecret"/>.</summary>
    public required string SecretHash { get; init; }

    /// <summary>See <see cref="SecretIdentity.Fingerprint"/>: rule, secret and path; no line, no commit.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The source line with the secret redacted, trimmed to a readable length.</summary>
    public string Snippet { get; init; } = "";

    /// <summary>Commit the text came from (history scans), else null.</summary>
    public string? Commit { get; init; }

    /// <summary>When and where a git history scan saw the secret; null for folder and staged scans.</summary>
    public HistoryInfo? History { get; init; }

    public ValidationState Validation { get; init; }

    /// <summary>What a liveness check at the provider said (`--verify`); null when the secret was not checked.</summary>
    public Verification? Verification { get; init; }

    public double Entropy { get; init; }

    public string RuleId => Rule.Id;

    public Severity Severity => Rule.Severity;

    public Confidence Confidence => Rule.Confidence;
}

public enum ScanWarningKind
{
    /// <summary>A rule's regex exceeded its match timeout on this text; the rest of the rules still ran.</summary>
    RegexTimeout,

    /// <summary>The file was not scanned (binary, too large, unreadable, a link out of the root...).</summary>
    Skipped,

    /// <summary>Reading the file failed; counted as an error.</summary>
    Error,
}

/// <summary>Something the scan could not do for one path (and maybe one rule). Never fatal to the scan.</summary>
public sealed record ScanWarning(ScanWarningKind Kind, string Path, string Message, string? RuleId = null);

/// <summary>Whether a provider still accepts a secret, as a liveness check found it.</summary>
public enum LivenessState
{
    Unknown = 0,
    Active = 1,
    Inactive = 2,
}

/// <summary>
/// One liveness check's answer: the state, the provider that gave it, and the token's scopes where the provider says
/// them (a leaked admin-scoped token is more urgent). Detail says why the state is unknown (timeout, rate limit...).
/// </summary>
public sealed record Verification
{
    public LivenessState State { get; init; }

    public string Provider { get; init; } = "";

    public IReadOnlyList<string> Scopes { get; init; } = Array.Empty<string>();

    public string? Detail { get; init; }
}

/// <summary>
/// A secret's life in git history (plain values: Core knows nothing of git). The introducing commit is the oldest one
/// that added a file version holding it; the exposure window runs from that commit to the newest one still holding it.
/// </summary>
public sealed record HistoryInfo
{
    /// <summary>Full id of the commit that introduced the secret (also <see cref="Finding.Commit"/>).</summary>
    public required string Commit { get; init; }

    public string Author { get; init; } = "";

    public string AuthorEmail { get; init; } = "";

    /// <summary>Author date of the introducing commit.</summary>
    public DateTimeOffset Date { get; init; }

    /// <summary>First line of the introducing commit's message.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Commit date of the introducing commit: when the secret entered this history.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>The newest commit known to hold the secret: HEAD when it is still there, else the last one before its removal.</summary>
    public string LastSeenCommit { get; init; } = "";

    public DateTimeOffset LastSeen { get; init; }

    /// <summary>True when the tree of HEAD (or of the range's end) still holds the secret.</summary>
    public bool InHead { get; init; }

    /// <summary>Every path the secret appeared under, sorted.</summary>
    public IReadOnlyList<string> Paths { get; init; } = Array.Empty<string>();

    /// <summary>How many distinct file versions (blobs) held the secret.</summary>
    public int Occurrences { get; init; }
}
