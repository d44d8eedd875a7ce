// GitHub: the public credential revocation API (batches of 1000, 60 requests an hour) and GET /user for liveness.
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Revocation;

/// <summary>
/// Revocation: <c>POST /credentials/revoke</c> with <c>{"credentials": [...]}</c>, unauthenticated (GitHub answers
/// authenticated calls with 403), 202 when accepted; GitHub revokes asynchronously and notifies the owners.
/// Liveness: <c>GET /user</c> with the token; X-OAuth-Scopes lists a classic token's scopes.
/// </summary>
public sealed class GitHubProvider : Provider
{
    /// <summary>GitHub's documented maximum per revocation request.</summary>
    public const int MaxTokensPerRequest = 1000;

    /// <summary>GitHub's documented limit for the revocation API.</summary>
    public const int RequestsPerHour = 60;

    public const string ApiVersion = "2022-11-28";

    /// <summary>The token types the revocation API takes; others (installation tokens ghs_) would fail the whole batch.</summary>
    private static readonly string[] RevocablePrefixes = { "ghp_", "github_pat_", "gho_", "ghu_", "ghr_" };

    public GitHubProvider(Uri baseUrl, HttpGateway http, TimeProvider? time = null, RequestBudget? budget = null)
        : base(Providers.GitHub, baseUrl, http)
    {
        Budget = budget ?? new RequestBudget(RequestsPerHour, TimeSpan.FromHours(1), time);
    }

    /// <summary>Shared by every revocation of this provider in the run.</summary>
    public RequestBudget Budget { get; }

    public override string RevokeTarget => "POST " + Url("credentials/revoke").AbsoluteUri;

    public override async Task<ActionResult> VerifyAsync(LeakedSecret secret, CancellationToken cancel = default)
    {
        if (secret.Secret.StartsWith("ghr_", StringComparison.Ordinal))
        {
            return Liveness(secret, LivenessState.Unknown, new HttpExchange(), "a refresh token cannot call the API, so its liveness cannot be checked");
        }

        var exchange = await Http.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, Url("user"));
                AddHeaders(request);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret.Secret);
                return request;
            },
            cancel).ConfigureAwait(false);
        if (exchange.Failure is not null)
        {
            return LivenessFailure(secret, exchange);
        }

        var message = JsonString(exchange.Body, "message");
        return exchange.Status switch
        {
            200 => Liveness(secret, LivenessState.Active, exchange, Login(exchange.Body), ScopeList(exchange.Header("X-OAuth-Scopes"))),
            401 => Liveness(secret, LivenessState.Inactive, exchange, HttpDetail(exchange, message)),

            // Valid token without access to /user (a GitHub App or fine-grained token): alive, scopes unknown.
            403 => Liveness(secret, LivenessState.Active, exchange, "valid, but may not read /user: " + HttpDetail(exchange, message)),
            _ => Liveness(secret, LivenessState.Unknown, exchange, HttpDetail(exchange, message)),
        };
    }

    public override async IAsyncEnumerable<ActionResult> RevokeAsync(IReadOnlyList<LeakedSecret> secrets, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var revocable = new List<LeakedSecret>();
        foreach (var secret in secrets)
        {
            if (RevocablePrefixes.Any(p => secret.Secret.StartsWith(p, StringComparison.Ordinal)))
            {
                revocable.Add(secret);
            }
            else
            {
                yield return Result(secret, ActionKind.Revoke, Outcome.Refused, new HttpExchange(), "GitHub's revocation API takes only ghp_, github_pat_, gho_, ghu_ and ghr_ tokens");
            }
        }

        string? stopped = null;
        for (var start = 0; start < revocable.Count; start += MaxTokensPerRequest)
        {
            var batch = revocable.Skip(start).Take(MaxTokensPerRequest).ToArray();
            if (stopped is null && !Budget.TryTake(out var retryIn))
            {
                stopped = $"GitHub allows {RequestsPerHour} revocation requests an hour and this run has used them; run again in {Math.Ceiling(retryIn.TotalMinutes)} min";
            }

            if (stopped is not null)
            {
                foreach (var secret in batch)
                {
                    yield return Result(secret, ActionKind.Revoke, Outcome.RateLimited, new HttpExchange(), stopped);
                }

                continue;
            }

            var body = Body(batch);
            var exchange = await Http.SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, Url("credentials/revoke"))
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
                    };
                    AddHeaders(request);
                    return request;
                },
                cancel).ConfigureAwait(false);

            if (exchange.Failure == Outcome.RateLimited)
            {
                stopped = exchange.Detail;
            }

            var batchNote = batch.Length > 1 ? $" (one request for {batch.Length} tokens)" : "";
            foreach (var secret in batch)
            {
                yield return exchange switch
                {
                    { Failure: not null } => RevokeFailure(secret, exchange),
                    { Status: 202 or 200 or 204 } => Result(secret, ActionKind.Revoke, Outcome.Revoked, exchange, $"accepted (HTTP {exchange.Status}); GitHub revokes it and notifies the owner{batchNote}"),
                    _ => Result(secret, ActionKind.Revoke, Outcome.Rejected, exchange, HttpDetail(exchange, JsonString(exchange.Body, "message")) + batchNote),
                };
            }
        }
    }

    /// <summary>The request body, built by hand so its bytes are exactly <c>{"credentials":["...",...]}</c>.</summary>
    internal static byte[] Body(IReadOnlyList<LeakedSecret> batch)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("credentials");
            foreach (var secret in batch)
            {
                json.WriteStringValue(secret.Secret);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void AddHeaders(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
    }

    private static string Login(string body) =>
        JsonString(body, "login") is { } login ? "authenticates as " + login : "authenticates";
}
