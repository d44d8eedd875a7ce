// GitLab: a token revokes itself (DELETE /api/v4/personal_access_tokens/self) and describes itself (GET ... /self).
using System.Runtime.CompilerServices;
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>
/// Personal, project and group access tokens (glpat-) on gitlab.com or a self-managed instance (configurable base URL).
/// The token authenticates with the PRIVATE-TOKEN header; 204 means revoked, 401 means GitLab no longer accepts it.
/// </summary>
public sealed class GitLabProvider : Provider
{
    private const string SelfPath = "api/v4/personal_access_tokens/self";

    public GitLabProvider(Uri baseUrl, HttpGateway http)
        : base(Providers.GitLab, baseUrl, http)
    {
    }

    public override string RevokeTarget => "DELETE " + Url(SelfPath).AbsoluteUri;

    public override async Task<ActionResult> VerifyAsync(LeakedSecret secret, CancellationToken cancel = default)
    {
        var exchange = await Send(HttpMethod.Get, secret, cancel).ConfigureAwait(false);
        if (exchange.Failure is not null)
        {
            return LivenessFailure(secret, exchange);
        }

        var message = JsonString(exchange.Body, "message", "error");
        switch (exchange.Status)
        {
            case 200:
                var (active, scopes, name) = Describe(exchange.Body);
                return active
                    ? Liveness(secret, LivenessState.Active, exchange, name is null ? "active" : $"active token '{name}'", scopes)
                    : Liveness(secret, LivenessState.Inactive, exchange, "GitLab reports the token revoked or expired", scopes);
            case 401:
                return Liveness(secret, LivenessState.Inactive, exchange, HttpDetail(exchange, message));
            case 404:
                return Liveness(secret, LivenessState.Unknown, exchange, "this GitLab has no personal_access_tokens/self API (older than 15.5?)");
            default:
                return Liveness(secret, LivenessState.Unknown, exchange, HttpDetail(exchange, message));
        }
    }

    public override async IAsyncEnumerable<ActionResult> RevokeAsync(IReadOnlyList<LeakedSecret> secrets, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        foreach (var secret in secrets)
        {
            var exchange = await Send(HttpMethod.Delete, secret, cancel).ConfigureAwait(false);
            var message = JsonString(exchange.Body, "message", "error");
            yield return exchange switch
            {
                { Failure: not null } => RevokeFailure(secret, exchange),
                { Status: 204 or 200 } => Result(secret, ActionKind.Revoke, Outcome.Revoked, exchange, $"revoked (HTTP {exchange.Status})"),
                { Status: 401 } => Result(secret, ActionKind.Revoke, Outcome.AlreadyRevoked, exchange, "GitLab does not accept the token (already revoked, expired, or not from this instance): " + HttpDetail(exchange, message)),
                { Status: 404 } => Result(secret, ActionKind.Revoke, Outcome.Rejected, exchange, "this GitLab has no personal_access_tokens/self API (older than 15.0?): " + HttpDetail(exchange, message)),
                _ => Result(secret, ActionKind.Revoke, Outcome.Rejected, exchange, HttpDetail(exchange, message)),
            };
        }
    }

    private Task<HttpExchange> Send(HttpMethod method, LeakedSecret secret, CancellationToken cancel) =>
        Http.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(method, Url(SelfPath));
                request.Headers.Add("PRIVATE-TOKEN", secret.Secret);
                return request;
            },
            cancel);

    /// <summary>Reads the token's own description: active unless revoked or expired, and its scopes.</summary>
    private static (bool Active, IReadOnlyList<string> Scopes, string? Name) Describe(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var active = root.TryGetProperty("active", out var a) && a.ValueKind == JsonValueKind.True &&
                         !(root.TryGetProperty("revoked", out var r) && r.ValueKind == JsonValueKind.True);
            var scopes = root.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : Array.Empty<string>();
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return (active, scopes, name);
        }
        catch (JsonException)
        {
            return (false, Array.Empty<string>(), null);
        }
    }
}
