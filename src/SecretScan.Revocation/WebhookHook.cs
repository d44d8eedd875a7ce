// The webhook hook: an HTTPS POST of the JSON event, signed with HMAC-SHA256 under a key from an environment variable.
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace SecretScan.Revocation;

/// <summary>
/// Headers: <c>X-SecretScan-Signature-256: sha256=HEX</c> (HMAC-SHA256 of the exact body bytes, keyed with the UTF-8
/// value of the <see cref="KeyVariable"/> environment variable), <c>X-SecretScan-Timestamp</c> (Unix seconds, equal to
/// the body's "timestamp", so the signature covers it too) and <c>X-SecretScan-Delivery</c> (the body's "deliveryId",
/// the same on retries). A receiver checks the signature in constant time, rejects old timestamps and repeated ids.
/// </summary>
public sealed class WebhookHook : Hook
{
    public const string SignatureHeader = "X-SecretScan-Signature-256";
    public const string TimestampHeader = "X-SecretScan-Timestamp";
    public const string DeliveryHeader = "X-SecretScan-Delivery";
    public const string EventHeader = "X-SecretScan-Event";

    public WebhookHook(HookMatch match, Uri url, string keyVariable, bool includeSecret)
        : base(match)
    {
        Url = url;
        KeyVariable = keyVariable;
        IncludesSecret = includeSecret;
    }

    public Uri Url { get; }

    /// <summary>Name of the environment variable holding the signing key; the key itself is never in the config.</summary>
    public string KeyVariable { get; }

    public override string Kind => ActionKind.Webhook;

    public override string Target => EndpointPolicy.Describe(Url);

    public override bool IncludesSecret { get; }

    /// <summary>"sha256=" and the lowercase hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string Sign(byte[] key, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body));

    public override async Task<ActionResult> RunAsync(LeakedSecret secret, HookContext context, CancellationToken cancel = default)
    {
        var problem = EndpointPolicy.Check(Url);
        if (problem is not null)
        {
            return Result(secret, Outcome.Refused, problem, TimeSpan.Zero);
        }

        var key = context.Environment(KeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            return Result(secret, Outcome.Refused, $"the signing key variable {KeyVariable} is not set; unsigned webhooks are not sent", TimeSpan.Zero);
        }

        var sentAt = context.Time.GetUtcNow();
        var delivery = Guid.NewGuid().ToString("D");
        var body = HookEvent.Build(secret, IncludesSecret, context.ToolVersion, delivery, sentAt);
        var signature = Sign(Encoding.UTF8.GetBytes(key), body);
        var timestamp = sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var exchange = await context.Http.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, Url)
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
                };
                request.Headers.Add(EventHeader, HookEvent.Name);
                request.Headers.Add(DeliveryHeader, delivery);
                request.Headers.Add(TimestampHeader, timestamp);
                request.Headers.Add(SignatureHeader, signature);
                return request;
            },
            cancel).ConfigureAwait(false);

        return exchange switch
        {
            { Failure: { } failure } => Result(secret, failure, exchange.Detail, exchange.Duration, exchange.Status),
            { IsSuccess: true } => Result(secret, Outcome.Delivered, $"delivered (HTTP {exchange.Status})", exchange.Duration, exchange.Status),
            _ => Result(secret, Outcome.Rejected, $"HTTP {exchange.Status}", exchange.Duration, exchange.Status),
        };
    }
}
