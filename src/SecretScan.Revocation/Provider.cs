// A credential provider with public self-service revocation and a liveness check; rules name it with `revoke: ID`.
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>
/// One provider's revocation and liveness API. A new provider is a rule's <c>revoke:</c> value plus a subclass
/// registered in <see cref="Providers"/>.
/// </summary>
public abstract class Provider
{
    private const int MaxDetailLength = 300;

    protected Provider(string id, Uri baseUrl, HttpGateway http)
    {
        Id = id;
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Http = http;
    }

    public string Id { get; }

    /// <summary>Always ends in '/', so relative paths append to it (GitHub Enterprise's is https://HOST/api/v3/).</summary>
    public Uri BaseUrl { get; }

    /// <summary>What a revocation sends, for the dry-run plan: method and URL, never the secret.</summary>
    public abstract string RevokeTarget { get; }

    protected HttpGateway Http { get; }

    /// <summary>Checks whether the provider still accepts the secret. One call per distinct secret.</summary>
    public abstract Task<ActionResult> VerifyAsync(LeakedSecret secret, CancellationToken cancel = default);

    /// <summary>
    /// Revokes each secret once, yielding a result per secret as soon as it is known (so the audit log is written
    /// as the run goes). Providers that take batches send several secrets per request.
    /// </summary>
    public abstract IAsyncEnumerable<ActionResult> RevokeAsync(IReadOnlyList<LeakedSecret> secrets, CancellationToken cancel = default);

    protected Uri Url(string relative) => new(BaseUrl, relative);

    protected ActionResult Result(LeakedSecret secret, string action, Outcome outcome, HttpExchange exchange, string detail, Verification? verification = null) => new()
    {
        Secret = secret,
        Action = action,
        Target = Id,
        Outcome = outcome,
        HttpStatus = exchange.Status,
        Duration = exchange.Duration,
        Detail = Scrub(detail, secret.Secret),
        Verification = verification,
    };

    /// <summary>A liveness result: the outcome and the verification record the findings get.</summary>
    protected ActionResult Liveness(LeakedSecret secret, LivenessState state, HttpExchange exchange, string detail, IReadOnlyList<string>? scopes = null)
    {
        var outcome = state switch
        {
            LivenessState.Active => Outcome.Active,
            LivenessState.Inactive => Outcome.Inactive,
            _ => Outcome.Unknown,
        };
        var verification = new Verification
        {
            State = state,
            Provider = Id,
            Scopes = scopes ?? Array.Empty<string>(),
            Detail = state == LivenessState.Unknown ? Scrub(detail, secret.Secret) : null,
        };
        return Result(secret, ActionKind.Verify, outcome, exchange, detail, verification);
    }

    /// <summary>An unknown liveness state from a failed call (timeout, unreachable, rate limited).</summary>
    protected ActionResult LivenessFailure(LeakedSecret secret, HttpExchange exchange) =>
        Liveness(secret, LivenessState.Unknown, exchange, ActionResult.Name(exchange.Failure!.Value) + ": " + exchange.Detail);

    /// <summary>A revocation that failed before or without an answer.</summary>
    protected ActionResult RevokeFailure(LeakedSecret secret, HttpExchange exchange) =>
        Result(secret, ActionKind.Revoke, exchange.Failure!.Value, exchange, exchange.Detail);

    /// <summary>The first of <paramref name="names"/> that is a string property of a JSON object body, or null.</summary>
    protected static string? JsonString(string body, params string[] names)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in names)
            {
                if (doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    protected static string HttpDetail(HttpExchange exchange, string? message) =>
        $"HTTP {exchange.Status}" + (string.IsNullOrWhiteSpace(message) ? "" : ": " + message);

    /// <summary>Scopes from a comma-separated header (GitHub X-OAuth-Scopes, Slack x-oauth-scopes).</summary>
    protected static IReadOnlyList<string> ScopeList(string? header) =>
        header is null ? Array.Empty<string>() : header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A provider may echo the token in an error; nothing that reaches a log or a screen may hold it.</summary>
    internal static string Scrub(string text, string secret)
    {
        if (secret.Length > 0)
        {
            text = text.Replace(secret, SecretIdentity.Redact(secret), StringComparison.Ordinal);
        }

        text = string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
        return text.Length <= MaxDetailLength ? text : text.Substring(0, MaxDetailLength - 1) + "…";
    }
}

/// <summary>The built-in providers by the id rules use in <c>revoke:</c>.</summary>
public static class Providers
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    public const string Slack = "slack";

    /// <summary>The public APIs; configuration overrides them for GitHub Enterprise, self-managed GitLab or tests.</summary>
    public static IReadOnlyDictionary<string, Uri> DefaultBaseUrls { get; } = new Dictionary<string, Uri>(StringComparer.Ordinal)
    {
        [GitHub] = new("https://api.github.com/"),
        [GitLab] = new("https://gitlab.com/"),
        [Slack] = new("https://slack.com/api/"),
    };

    public static IEnumerable<string> Ids => DefaultBaseUrls.Keys;

    public static bool IsKnown(string id) => DefaultBaseUrls.ContainsKey(id);

    /// <summary>Creates the provider <paramref name="id"/>; null when no provider has that id.</summary>
    public static Provider? Create(string id, HttpGateway http, Uri? baseUrl = null, TimeProvider? time = null)
    {
        if (!DefaultBaseUrls.TryGetValue(id, out var defaultUrl))
        {
            return null;
        }

        var url = baseUrl ?? defaultUrl;
        return id switch
        {
            GitHub => new GitHubProvider(url, http, time),
            GitLab => new GitLabProvider(url, http),
            Slack => new SlackProvider(url, http),
            _ => null,
        };
    }
}
