// Every HTTP call goes through here: endpoint policy, a timeout per attempt, no redirects, bounded waits on 429 and 5xx.
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;

namespace SecretScan.Revocation;

/// <summary>How patient a run is with providers and hooks.</summary>
public sealed record HttpPolicy
{
    public static readonly HttpPolicy Default = new();

    /// <summary>Per attempt, from sending the request to the end of the response body.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per call, the first included; only 429 and 5xx answers are retried.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The longest Retry-After (or rate-limit reset) a run waits for; a longer one fails the call as rate limited.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First backoff after a 5xx (or a 429 without Retry-After); doubles on each further attempt.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    public string UserAgent { get; init; } = "SecretScan";
}

/// <summary>The answer to one call, after retries: a status and body, or the reason there is none.</summary>
public sealed record HttpExchange
{
    public int? Status { get; init; }

    public string Body { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public TimeSpan Duration { get; init; }

    public int Attempts { get; init; }

    /// <summary>Set when there is no usable answer: timed out, unreachable, refused by policy, or rate limited for too long.</summary>
    public Outcome? Failure { get; init; }

    public string Detail { get; init; } = "";

    public bool IsSuccess => Failure is null && Status is >= 200 and < 300;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

public sealed class HttpGateway : IDisposable
{
    private const int MaxBodyBytes = 1 << 20;

    private readonly HttpClient client;
    private readonly TimeProvider time;

    public HttpGateway(HttpPolicy? policy = null, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        Policy = policy ?? HttpPolicy.Default;
        this.time = time ?? TimeProvider.System;

        // No redirects: a provider-specific header such as PRIVATE-TOKEN would follow a redirect to any host.
        // Certificate validation stays the platform's: there is no switch to turn it off.
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = Policy.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        client = new HttpClient(handler, disposeHandler: true)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxBodyBytes,
        };
    }

    public HttpPolicy Policy { get; }

    /// <summary>
    /// Sends the request <paramref name="makeRequest"/> builds (once per attempt). Never throws for HTTP or network
    /// trouble: the exchange says what happened. Throws only when <paramref name="cancel"/> fires.
    /// </summary>
    public async Task<HttpExchange> SendAsync(Func<HttpRequestMessage> makeRequest, CancellationToken cancel = default)
    {
        var started = time.GetTimestamp();
        var attempt = 0;
        while (true)
        {
            attempt++;
            using var request = makeRequest();
            var problem = request.RequestUri is null ? "no URL" : EndpointPolicy.Check(request.RequestUri);
            if (problem is not null)
            {
                return new HttpExchange { Failure = Outcome.Refused, Detail = problem, Attempts = attempt, Duration = time.GetElapsedTime(started) };
            }

            request.Headers.UserAgent.Clear();
            request.Headers.TryAddWithoutValidation("User-Agent", Policy.UserAgent);
            HttpExchange exchange;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                timeout.CancelAfter(Policy.Timeout);
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                    exchange = new HttpExchange { Status = (int)response.StatusCode, Body = body, Headers = Flatten(response.Headers, response.Content.Headers) };
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    return Fail(Outcome.TimedOut, $"no answer within {Seconds(Policy.Timeout)}");
                }
                catch (HttpRequestException e)
                {
                    return Fail(Outcome.Unreachable, Describe(e));
                }
            }

            var wait = RetryDelay(exchange, attempt, out var rateLimited);
            if (wait is null)
            {
                return exchange with { Attempts = attempt, Duration = time.GetElapsedTime(started) };
            }

            if (attempt >= Policy.MaxAttempts || wait > Policy.MaxRetryAfter)
            {
                if (!rateLimited)
                {
                    return exchange with { Attempts = attempt, Duration = time.GetElapsedTime(started) };
                }

                var after = wait > Policy.MaxRetryAfter ? $"; it asks to wait {Seconds(wait.Value)}, more than this run waits ({Seconds(Policy.MaxRetryAfter)})" : $" after {attempt} attempts";
                return exchange with { Failure = Outcome.RateLimited, Detail = $"rate limited (HTTP {exchange.Status}){after}", Attempts = attempt, Duration = time.GetElapsedTime(started) };
            }

            await Task.Delay(wait.Value, time, cancel).ConfigureAwait(false);
        }

        HttpExchange Fail(Outcome outcome, string detail) =>
            new() { Failure = outcome, Detail = detail, Attempts = attempt, Duration = time.GetElapsedTime(started) };
    }

    public void Dispose() => client.Dispose();

    /// <summary>How long to wait before the next attempt, or null when the answer is final.</summary>
    private TimeSpan? RetryDelay(HttpExchange exchange, int attempt, out bool rateLimited)
    {
        var status = exchange.Status ?? 0;
        var retryAfter = RetryAfter(exchange);
        var limitSpent = exchange.Header("X-RateLimit-Remaining") == "0";

        // 429 is the standard; GitHub also answers 403 with Retry-After or a spent X-RateLimit-Remaining.
        rateLimited = status == 429 || (status == 403 && (retryAfter is not null || limitSpent));
        if (rateLimited)
        {
            return retryAfter ?? (limitSpent ? ResetDelay(exchange) : null) ?? Backoff(attempt);
        }

        return status is 500 or 502 or 503 or 504 ? Backoff(attempt) : null;
    }

    private TimeSpan Backoff(int attempt) => Policy.Backoff * Math.Pow(2, attempt - 1);

    private TimeSpan? RetryAfter(HttpExchange exchange)
    {
        var text = exchange.Header("Retry-After");
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? Max(date - time.GetUtcNow(), TimeSpan.Zero)
            : null;
    }

    private TimeSpan? ResetDelay(HttpExchange exchange) =>
        long.TryParse(exchange.Header("X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? Max(DateTimeOffset.FromUnixTimeSeconds(epoch) - time.GetUtcNow(), TimeSpan.Zero)
            : null;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static IReadOnlyDictionary<string, string> Flatten(HttpResponseHeaders headers, HttpContentHeaders content)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers.Concat(content))
        {
            all[header.Key] = string.Join(", ", header.Value);
        }

        return all;
    }

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException tls)
            {
                return "TLS failure (the certificate is not trusted, or the handshake failed): " + tls.Message;
            }

            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    _ => "network error: " + socket.Message,
                };
            }
        }

        return e.HttpRequestError == HttpRequestError.ResponseEnded ? "the connection closed before a full answer" : "request failed: " + e.Message;
    }
}
