// Hooks cover what no built-in revoker can: a webhook or a local command, chosen by rule id, rule name or tag.
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>Which secrets a hook acts on: any finding whose rule id or name is in <see cref="Rules"/> ("*" for all), or whose rule has a tag in <see cref="Tags"/>.</summary>
public sealed record HookMatch
{
    public IReadOnlyList<string> Rules { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();

    public bool Matches(LeakedSecret secret) => Rules.Any(secret.MatchesRule) || Tags.Any(secret.HasTag);

    public override string ToString() =>
        string.Join(", ", Rules.Concat(Tags.Select(t => "tag " + t)));
}

/// <summary>What a hook needs from the run that calls it.</summary>
public sealed record HookContext
{
    public required HttpGateway Http { get; init; }

    public string ToolVersion { get; init; } = "0.0.0";

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads environment variables (signing keys); replaceable in tests.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}

public abstract class Hook
{
    protected Hook(HookMatch match) => Match = match;

    public HookMatch Match { get; }

    /// <summary><see cref="ActionKind.Webhook"/> or <see cref="ActionKind.Command"/>.</summary>
    public abstract string Kind { get; }

    /// <summary>The URL (without query) or the program, for the plan and the audit log.</summary>
    public abstract string Target { get; }

    /// <summary>Whether the event carries the raw secret.</summary>
    public abstract bool IncludesSecret { get; }

    /// <summary>Sends one secret's event. Never throws for delivery trouble: the result says what happened.</summary>
    public abstract Task<ActionResult> RunAsync(LeakedSecret secret, HookContext context, CancellationToken cancel = default);

    protected ActionResult Result(LeakedSecret secret, Outcome outcome, string detail, TimeSpan duration, int? status = null) => new()
    {
        Secret = secret,
        Action = Kind,
        Target = Target,
        Outcome = outcome,
        HttpStatus = status,
        Duration = duration,
        Detail = Provider.Scrub(detail, secret.Secret),
    };
}

/// <summary>
/// The JSON event hooks receive (src/SecretScan.Revocation/README.md, "Hook event"): rule, severity, fingerprint, secret
/// hash, locations and commit; the raw secret only when the hook opts in, else null.
/// </summary>
public static class HookEvent
{
    public const int Version = 1;

    public const string Name = "secretscan.leak";

    public static byte[] Build(LeakedSecret secret, bool includeSecret, string toolVersion, string deliveryId, DateTimeOffset sentAt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var rule = secret.Rule;
            json.WriteStartObject();
            json.WriteString("event", Name);
            json.WriteNumber("version", Version);
            json.WriteString("deliveryId", deliveryId);
            json.WriteNumber("timestamp", sentAt.ToUnixTimeSeconds());
            json.WriteStartObject("tool");
            json.WriteString("name", "SecretScan");
            json.WriteString("version", toolVersion);
            json.WriteEndObject();
            json.WriteStartObject("rule");
            json.WriteString("id", rule.Id);
            json.WriteString("name", rule.Name);
            json.WriteString("title", rule.Title);
            WriteNullable(json, "revoke", rule.Revoke);
            json.WriteStartArray("tags");
            foreach (var tag in rule.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("severity", secret.Severity.ToString().ToLowerInvariant());
            json.WriteString("fingerprint", secret.Fingerprint);
            json.WriteString("secretHash", secret.SecretHash);
            json.WriteString("redacted", secret.Redacted);
            WriteNullable(json, "secret", includeSecret ? secret.Secret : null);
            WriteNullable(json, "commit", secret.First.Commit);
            json.WritePropertyName("location");
            WriteLocation(json, secret.First);
            json.WriteStartArray("locations");
            foreach (var finding in secret.Findings)
            {
                WriteLocation(json, finding);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteLocation(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("path", SecretIdentity.NormalizePath(finding.Path));
        json.WriteNumber("line", finding.Line);
        json.WriteNumber("column", finding.Column);
        WriteNullable(json, "commit", finding.Commit);
        json.WriteString("ruleId", finding.RuleId);
        json.WriteString("fingerprint", finding.Fingerprint);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
