// What one action (a liveness check, a revocation, a hook call) did to one secret: the record the audit log keeps.
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>The kinds of action, as the audit log names them.</summary>
public static class ActionKind
{
    public const string Verify = "verify";
    public const string Revoke = "revoke";
    public const string Webhook = "webhook";
    public const string Command = "command";
}

public enum Outcome
{
    /// <summary>The provider took the revocation (GitHub answers 202 and revokes asynchronously).</summary>
    Revoked,

    /// <summary>The provider no longer accepts the secret (revoked, expired or unknown to it): counts as done.</summary>
    AlreadyRevoked,

    /// <summary>A hook took the event (2xx, or exit code 0).</summary>
    Delivered,

    /// <summary>Liveness: the provider accepts the secret.</summary>
    Active,

    /// <summary>Liveness: the provider rejects the secret.</summary>
    Inactive,

    /// <summary>Liveness: the answer did not say (an error, a token type the check cannot judge).</summary>
    Unknown,

    /// <summary>The target answered with an error (4xx, 5xx after retries, a non-zero exit code).</summary>
    Rejected,

    /// <summary>Rate limited beyond what this run waits for (or the run's own request budget is spent).</summary>
    RateLimited,

    TimedOut,

    /// <summary>No answer: connection refused, DNS failure, TLS failure. TLS errors are never ignored.</summary>
    Unreachable,

    /// <summary>Not attempted because it would be unsafe: plain http to a non-loopback host, a missing signing key...</summary>
    Refused,
}

/// <summary>One action on one secret.</summary>
public sealed record ActionResult
{
    public required LeakedSecret Secret { get; init; }

    /// <summary>See <see cref="ActionKind"/>.</summary>
    public required string Action { get; init; }

    /// <summary>The provider id, webhook URL or command (argv[0]); never holds the secret.</summary>
    public required string Target { get; init; }

    public required Outcome Outcome { get; init; }

    public int? HttpStatus { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Short explanation for people and the log; never holds the secret.</summary>
    public string Detail { get; init; } = "";

    /// <summary>For liveness checks: the verification to attach to the findings.</summary>
    public Verification? Verification { get; init; }

    /// <summary>Revocation and hook outcomes that leave nothing to do.</summary>
    public bool IsDone => Outcome is Outcome.Revoked or Outcome.AlreadyRevoked or Outcome.Delivered;

    public bool IsFailure => Outcome is Outcome.Rejected or Outcome.RateLimited or Outcome.TimedOut or Outcome.Unreachable or Outcome.Refused;

    public static string Name(Outcome outcome) => outcome switch
    {
        Outcome.Revoked => "revoked",
        Outcome.AlreadyRevoked => "already-revoked",
        Outcome.Delivered => "delivered",
        Outcome.Active => "active",
        Outcome.Inactive => "inactive",
        Outcome.Unknown => "unknown",
        Outcome.Rejected => "rejected",
        Outcome.RateLimited => "rate-limited",
        Outcome.TimedOut => "timed-out",
        Outcome.Unreachable => "unreachable",
        Outcome.Refused => "refused",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
