// GitHub's revocation and liveness APIs against a real loopback server: exact requests, real answers, batching, limits.
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Revocation.Tests;

public class GitHubProviderTests
{
    [Fact]
    public async Task Revocation_sends_the_exact_request_and_202_means_revoked()
    {
        var token = Fakes.GitHubToken();
        using var server = new LoopbackServer(_ => CannedResponse.Json(202, ProviderAnswers.GitHubAccepted));
        using var http = new HttpGateway(Fakes.FastPolicy);

        // A GitHub Enterprise base URL: the API lives under /api/v3.
        var github = new GitHubProvider(new Uri(server.BaseUrl, "api/v3"), http);
        var results = await Fakes.Collect(github.RevokeAsync(new[] { Fakes.Secret(Fakes.GitHubPat, token) }));

        var result = Assert.Single(results);
        Assert.Equal(Outcome.Revoked, result.Outcome);
        Assert.Equal(202, result.HttpStatus);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v3/credentials/revoke", request.Target);
        Assert.Equal("{\"credentials\":[\"" + token + "\"]}", request.BodyText);
        Assert.Equal("application/vnd.github+json", request.Header("Accept"));
        Assert.Equal("2022-11-28", request.Header("X-GitHub-Api-Version"));
        Assert.Equal("SecretScan/test", request.Header("User-Agent"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));

        // Unauthenticated by design: GitHub answers authenticated calls to this endpoint with 403.
        Assert.Equal(
            new[] { "accept", "content-length", "content-type", "host", "user-agent", "x-github-api-version" },
            request.HeaderNames.Select(n => n.ToLowerInvariant()).Order());
        Assert.DoesNotContain(token, result.Detail);
    }

    [Fact]
    public async Task Tokens_go_in_batches_of_1000_and_each_secret_once()
    {
        var tokens = Enumerable.Range(0, 1001).Select(_ => Fakes.GitHubToken()).ToArray();
        using var server = new LoopbackServer(_ => CannedResponse.Json(202, ProviderAnswers.GitHubAccepted));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);

        // The last token leaked twice: one distinct secret, one revocation.
        var findings = tokens.Select((t, i) => Fakes.Finding(Fakes.GitHubPat, t, $"f{i}.env")).Append(Fakes.Finding(Fakes.GitHubPat, tokens[^1], "copy.env"));
        var results = await Fakes.Collect(github.RevokeAsync(LeakedSecret.Group(findings)));

        Assert.Equal(1001, results.Count);
        Assert.All(results, r => Assert.Equal(Outcome.Revoked, r.Outcome));
        var sent = server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("credentials").EnumerateArray().Select(e => e.GetString()!).ToArray()).ToArray();
        Assert.Equal(new[] { 1000, 1 }, sent.Select(s => s.Length));
        Assert.Equal(tokens, sent.SelectMany(s => s));
    }

    [Fact]
    public async Task The_hourly_budget_stops_requests_instead_of_spamming()
    {
        var tokens = Enumerable.Range(0, 1001).Select(_ => Fakes.GitHubToken()).ToArray();
        using var server = new LoopbackServer(_ => CannedResponse.Json(202, ProviderAnswers.GitHubAccepted));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http, budget: new RequestBudget(1, TimeSpan.FromHours(1)));

        var results = await Fakes.Collect(github.RevokeAsync(tokens.Select(t => Fakes.Secret(Fakes.GitHubPat, t)).ToArray()));

        Assert.Single(server.Requests);
        Assert.Equal(1000, results.Count(r => r.Outcome == Outcome.Revoked));
        var limited = Assert.Single(results, r => r.Outcome == Outcome.RateLimited);
        Assert.Contains("60 revocation requests an hour", limited.Detail);
    }

    [Fact]
    public void The_budget_frees_a_slot_when_the_hour_has_passed()
    {
        var clock = new ManualClock();
        var budget = new RequestBudget(GitHubProvider.RequestsPerHour, TimeSpan.FromHours(1), clock);
        for (var i = 0; i < 60; i++)
        {
            Assert.True(budget.TryTake(out _));
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.False(budget.TryTake(out var retryIn));
        Assert.Equal(TimeSpan.FromMinutes(50), retryIn);
        clock.Advance(retryIn);
        Assert.True(budget.TryTake(out _));
    }

    [Fact]
    public async Task A_422_is_rejected_with_GitHubs_message()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(422, ProviderAnswers.GitHubValidationFailed));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(github.RevokeAsync(new[] { Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken()) })));

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Equal(422, result.HttpStatus);
        Assert.Contains("Validation Failed", result.Detail);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_500_is_retried_with_backoff_and_then_succeeds_once()
    {
        var calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) == 1
            ? CannedResponse.Json(500, ProviderAnswers.GitHubServerError)
            : CannedResponse.Json(202, ProviderAnswers.GitHubAccepted));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(github.RevokeAsync(new[] { Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken()) })));

        Assert.Equal(Outcome.Revoked, result.Outcome);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(server.Requests[0].BodyText, server.Requests[1].BodyText);
    }

    [Fact]
    public async Task A_500_that_persists_is_rejected_after_the_last_attempt()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(500, ProviderAnswers.GitHubServerError));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(github.RevokeAsync(new[] { Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken()) })));

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Equal(500, result.HttpStatus);
        Assert.Equal(Fakes.FastPolicy.MaxAttempts, server.Requests.Count);
    }

    [Fact]
    public async Task A_spent_primary_rate_limit_stops_the_run_without_further_requests()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(40).ToUnixTimeSeconds().ToString();
        using var server = new LoopbackServer(_ => CannedResponse.Json(403, ProviderAnswers.GitHubPrimaryRateLimit, ("X-RateLimit-Limit", "60"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset)));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);
        var secrets = Enumerable.Range(0, 1500).Select(_ => Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken())).ToArray();

        var results = await Fakes.Collect(github.RevokeAsync(secrets));

        Assert.Single(server.Requests);
        Assert.All(results, r => Assert.Equal(Outcome.RateLimited, r.Outcome));
    }

    [Fact]
    public async Task A_secondary_rate_limit_429_waits_for_retry_after_then_retries()
    {
        var calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) == 1
            ? CannedResponse.Json(429, ProviderAnswers.GitHubSecondaryRateLimit, ("Retry-After", "1"))
            : CannedResponse.Json(202, ProviderAnswers.GitHubAccepted));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = Assert.Single(await Fakes.Collect(github.RevokeAsync(new[] { Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken()) })));

        Assert.Equal(Outcome.Revoked, result.Outcome);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"waited only {clock.Elapsed}");
    }

    [Fact]
    public async Task Installation_tokens_are_refused_before_any_request()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(202, ProviderAnswers.GitHubAccepted));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(github.RevokeAsync(new[] { Fakes.Secret(Fakes.Rule("SS1103"), Fakes.Expand("{{github:ghs_}}")) })));

        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Liveness_reads_the_scopes_of_an_active_token()
    {
        var token = Fakes.GitHubToken();
        using var server = new LoopbackServer(r => r.Header("Authorization") == "Bearer " + token
            ? CannedResponse.Json(200, ProviderAnswers.GitHubUser, ("X-OAuth-Scopes", "admin:org, repo, workflow"), ("X-Accepted-OAuth-Scopes", ""))
            : CannedResponse.Json(401, ProviderAnswers.GitHubBadCredentials));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);

        var active = await github.VerifyAsync(Fakes.Secret(Fakes.GitHubPat, token));
        var inactive = await github.VerifyAsync(Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken()));

        Assert.Equal(Outcome.Active, active.Outcome);
        Assert.Equal(LivenessState.Active, active.Verification!.State);
        Assert.Equal(new[] { "admin:org", "repo", "workflow" }, active.Verification.Scopes);
        Assert.Equal("github", active.Verification.Provider);
        Assert.Equal(Outcome.Inactive, inactive.Outcome);
        Assert.Equal(LivenessState.Inactive, inactive.Verification!.State);
        var request = server.Requests[0];
        Assert.Equal("GET", request.Method);
        Assert.Equal("/user", request.Target);
        Assert.Equal("application/vnd.github+json", request.Header("Accept"));
        Assert.Equal("2022-11-28", request.Header("X-GitHub-Api-Version"));
        Assert.Empty(request.Body);
    }

    [Fact]
    public async Task A_404_from_an_old_enterprise_server_is_rejected_and_liveness_unknown()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(404, ProviderAnswers.GitHubNotFound));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var github = new GitHubProvider(server.BaseUrl, http);
        var secret = Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken());

        var revoke = Assert.Single(await Fakes.Collect(github.RevokeAsync(new[] { secret })));
        var verify = await github.VerifyAsync(secret);

        Assert.Equal(Outcome.Rejected, revoke.Outcome);
        Assert.Equal(404, revoke.HttpStatus);
        Assert.Equal(LivenessState.Unknown, verify.Verification!.State);
        Assert.Contains("404", verify.Verification.Detail);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
