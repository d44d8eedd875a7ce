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

    public ValidationState Validation { get; init; }

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
