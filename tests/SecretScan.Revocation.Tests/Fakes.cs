// Fresh fake tokens (generated per test, never committed), findings around them, and the real providers' answers.
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Core.Validation;

namespace SecretScan.Revocation.Tests;

internal static class Fakes
{
    private static readonly Random Rng = new();
    private static readonly object Gate = new();

    public static Rule GitHubPat => Rule("SS1100");

    public static Rule GitLabPat => Rule("SS1120");

    public static Rule SlackBot => Rule("SS1200");

    /// <summary>Fast retries and short waits, so error paths take milliseconds, not seconds.</summary>
    public static HttpPolicy FastPolicy { get; } = new()
    {
        Timeout = TimeSpan.FromSeconds(3),
        Backoff = TimeSpan.FromMilliseconds(20),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        UserAgent = "SecretScan/test",
    };

    public static Rule Rule(string id) => BuiltInRules.All.Single(r => r.Id == id);

    public static string GitHubToken() => Expand("{{github:ghp_}}");

    public static string SlackToken() => Expand("xoxb-{{digits:12}}-{{digits:13}}-{{alnum:24}}");

    public static string GitLabToken() => Expand("glpat-{{alnum:20}}");

    public static string Expand(string template)
    {
        lock (Gate)
        {
            return ExampleTemplates.Expand(template, Rng);
        }
    }

    public static Finding Finding(Rule rule, string secret, string path = "deploy/app.env", int line = 3, string? commit = null)
    {
        var hash = SecretIdentity.HashSecret(secret);
        return new Finding
        {
            Rule = rule,
            Path = path,
            Line = line,
            Column = 7,
            EndLine = line,
            EndColumn = 7 + secret.Length,
            Secret = secret,
            Redacted = SecretIdentity.Redact(secret),
            SecretHash = hash,
            Fingerprint = SecretIdentity.Fingerprint(rule.Id, hash, path),
            Commit = commit,
        };
    }

    public static LeakedSecret Secret(Rule rule, string secret, string path = "deploy/app.env") =>
        LeakedSecret.Group(new[] { Finding(rule, secret, path) }).Single();

    public static async Task<List<ActionResult>> Collect(IAsyncEnumerable<ActionResult> results)
    {
        var list = new List<ActionResult>();
        await foreach (var r in results)
        {
            list.Add(r);
        }

        return list;
    }

    public static string TempPath(string name) =>
        Path.Combine(Path.GetTempPath(), "secretscan-revocation-" + Guid.NewGuid().ToString("N"), name);
}

/// <summary>
/// Bodies as the providers send them (GitHub REST docs and observed errors, GitLab API docs, Slack method docs).
/// </summary>
internal static class ProviderAnswers
{
    public const string GitHubAccepted = "{}";
    public const string GitHubBadCredentials = """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}""";
    public const string GitHubNotFound = """{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}""";
    public const string GitHubValidationFailed = """{"message":"Validation Failed","errors":["credentials must contain between 1 and 1000 items"],"documentation_url":"https://docs.github.com/rest/credentials/revoke#revoke-a-list-of-credentials","status":"422"}""";
    public const string GitHubServerError = """{"message":"Server Error","documentation_url":"https://docs.github.com/rest","status":"500"}""";
    public const string GitHubSecondaryRateLimit = """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"429"}""";
    public const string GitHubPrimaryRateLimit = """{"message":"API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}""";
    public const string GitHubUser = """{"login":"octocat","id":583231,"node_id":"MDQ6VXNlcjU4MzIzMQ==","type":"User","site_admin":false,"name":"The Octocat"}""";

    public const string GitLabUnauthorized = """{"message":"401 Unauthorized"}""";
    public const string GitLabNotFound = """{"message":"404 Not Found"}""";
    public const string GitLabServerError = """{"message":"500 Internal Server Error"}""";
    public const string GitLabRetryLater = "Retry later\n";
    public const string GitLabTokenActive = """{"id":4,"name":"ci deploy","revoked":false,"created_at":"2024-03-01T10:00:00.000Z","description":null,"scopes":["api","write_repository"],"user_id":24,"last_used_at":"2025-01-06T17:58:37.550Z","active":true,"expires_at":"2026-03-01"}""";
    public const string GitLabTokenRevoked = """{"id":4,"name":"ci deploy","revoked":true,"created_at":"2024-03-01T10:00:00.000Z","description":null,"scopes":["api"],"user_id":24,"last_used_at":null,"active":false,"expires_at":null}""";

    public const string SlackRevoked = """{"ok":true,"revoked":true}""";
    public const string SlackInvalidAuth = """{"ok":false,"error":"invalid_auth"}""";
    public const string SlackTokenRevoked = """{"ok":false,"error":"token_revoked"}""";
    public const string SlackRateLimited = """{"ok":false,"error":"ratelimited"}""";
    public const string SlackAuthTest = """{"ok":true,"url":"https://subarachnoid.slack.com/","team":"Subarachnoid Workspace","user":"grace","team_id":"T12345678","user_id":"W12345678"}""";
}
