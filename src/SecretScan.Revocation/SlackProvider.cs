// Slack: auth.revoke revokes the calling token, auth.test checks it; errors come as HTTP 200 with "ok": false.
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>
/// Bot, user and legacy tokens (xoxb-, xoxp-, ...). The token goes in the Authorization header, never in the form body
/// (a body can end up in proxy logs). Scopes come from the x-oauth-scopes response header.
/// </summary>
public sealed class SlackProvider : Provider
{
    /// <summary>Errors that mean Slack no longer accepts the token: for a revocation, nothing left to do.</summary>
    private static readonly HashSet<string> DeadTokenErrors = new(StringComparer.Ordinal)
    {
        "invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired",
    };

    public SlackProvider(Uri baseUrl, HttpGateway http)
        : base(Providers.Slack, baseUrl, http)
    {
    }

    public override string RevokeTarget => "POST " + Url("auth.revoke").AbsoluteUri;

    public override async Task<ActionResult> VerifyAsync(LeakedSecret secret, CancellationToken cancel = default)
    {
        var exchange = await Send("auth.test", secret, cancel).ConfigureAwait(false);
        if (exchange.Failure is not null)
        {
            return LivenessFailure(secret, exchange);
        }

        var (ok, error, team) = Read(exchange.Body);
        if (exchange.Status == 200 && ok)
        {
            return Liveness(secret, LivenessState.Active, exchange, team is null ? "active" : $"active in workspace '{team}'", ScopeList(exchange.Header("x-oauth-scopes")));
        }

        return error is not null && DeadTokenErrors.Contains(error)
            ? Liveness(secret, LivenessState.Inactive, exchange, error)
            : Liveness(secret, LivenessState.Unknown, exchange, HttpDetail(exchange, error));
    }

    public override async IAsyncEnumerable<ActionResult> RevokeAsync(IReadOnlyList<LeakedSecret> secrets, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        foreach (var secret in secrets)
        {
            var exchange = await Send("auth.revoke", secret, cancel).ConfigureAwait(false);
            if (exchange.Failure is not null)
            {
                yield return RevokeFailure(secret, exchange);
                continue;
            }

            var (ok, error, _) = Read(exchange.Body);
            yield return (exchange.Status, ok, error) switch
            {
                (200, true, _) => Result(secret, ActionKind.Revoke, Outcome.Revoked, exchange, "revoked"),
                (200, false, { } e) when DeadTokenErrors.Contains(e) => Result(secret, ActionKind.Revoke, Outcome.AlreadyRevoked, exchange, "Slack no longer accepts the token: " + e),
                _ => Result(secret, ActionKind.Revoke, Outcome.Rejected, exchange, HttpDetail(exchange, error)),
            };
        }
    }

    private Task<HttpExchange> Send(string method, LeakedSecret secret, CancellationToken cancel) =>
        Http.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, Url(method))
                {
                    Content = new FormUrlEncodedContent(Array.Empty<KeyValuePair<string, string>>()),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret.Secret);
                return request;
            },
            cancel);

    private static (bool Ok, string? Error, string? Team) Read(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (false, null, null);
            }

            var ok = root.TryGetProperty("ok", out var o) && o.ValueKind == JsonValueKind.True;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var team = root.TryGetProperty("team", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return (ok, error, team);
        }
        catch (JsonException)
        {
            return (false, null, null);
        }
    }
}
