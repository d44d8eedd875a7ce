// GitLab self-revocation and Slack auth.revoke / auth.test against real loopback servers with the providers' own answers.
using SecretScan.Core;

namespace SecretScan.Revocation.Tests;

public class GitLabAndSlackProviderTests
{
    [Fact]
    public async Task GitLab_revocation_is_a_DELETE_of_self_with_the_token_header()
    {
        var token = Fakes.GitLabToken();
        using var server = new LoopbackServer(_ => new CannedResponse(204));
        using var http = new HttpGateway(Fakes.FastPolicy);

        // A self-managed instance under a path prefix.
        var gitlab = new GitLabProvider(new Uri(server.BaseUrl, "gitlab"), http);
        var result = Assert.Single(await Fakes.Collect(gitlab.RevokeAsync(new[] { Fakes.Secret(Fakes.GitLabPat, token) })));

        Assert.Equal(Outcome.Revoked, result.Outcome);
        Assert.Equal(204, result.HttpStatus);
        var request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/gitlab/api/v4/personal_access_tokens/self", request.Target);
        Assert.Equal(token, request.Header("PRIVATE-TOKEN"));
        Assert.Null(request.Header("Authorization"));
        Assert.Empty(request.Body);
        Assert.Equal(new[] { "host", "private-token", "user-agent" }, request.HeaderNames.Select(n => n.ToLowerInvariant()).Order());
    }

    [Fact]
    public async Task GitLab_401_means_already_revoked_and_404_is_rejected()
    {
        var dead = Fakes.GitLabToken();
        using var server = new LoopbackServer(r => r.Header("PRIVATE-TOKEN") == dead
            ? CannedResponse.Json(401, ProviderAnswers.GitLabUnauthorized)
            : CannedResponse.Json(404, ProviderAnswers.GitLabNotFound));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var gitlab = new GitLabProvider(server.BaseUrl, http);

        var results = await Fakes.Collect(gitlab.RevokeAsync(new[] { Fakes.Secret(Fakes.GitLabPat, dead), Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()) }));

        Assert.Equal(Outcome.AlreadyRevoked, results[0].Outcome);
        Assert.True(results[0].IsDone);
        Assert.Equal(Outcome.Rejected, results[1].Outcome);
        Assert.Equal(404, results[1].HttpStatus);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task GitLab_429_retry_later_is_waited_out()
    {
        var calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(429, ProviderAnswers.GitLabRetryLater, new Dictionary<string, string> { ["Retry-After"] = "1", ["Content-Type"] = "text/plain" })
            : new CannedResponse(204));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var gitlab = new GitLabProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(gitlab.RevokeAsync(new[] { Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()) })));

        Assert.Equal(Outcome.Revoked, result.Outcome);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task GitLab_liveness_reads_the_token_description()
    {
        var live = Fakes.GitLabToken();
        var revoked = Fakes.GitLabToken();
        using var server = new LoopbackServer(r => r.Header("PRIVATE-TOKEN") == live ? CannedResponse.Json(200, ProviderAnswers.GitLabTokenActive)
            : r.Header("PRIVATE-TOKEN") == revoked ? CannedResponse.Json(200, ProviderAnswers.GitLabTokenRevoked)
            : CannedResponse.Json(401, ProviderAnswers.GitLabUnauthorized));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var gitlab = new GitLabProvider(server.BaseUrl, http);

        var active = await gitlab.VerifyAsync(Fakes.Secret(Fakes.GitLabPat, live));
        var inactive = await gitlab.VerifyAsync(Fakes.Secret(Fakes.GitLabPat, revoked));
        var unknownToken = await gitlab.VerifyAsync(Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()));

        Assert.Equal(LivenessState.Active, active.Verification!.State);
        Assert.Equal(new[] { "api", "write_repository" }, active.Verification.Scopes);
        Assert.Equal(LivenessState.Inactive, inactive.Verification!.State);
        Assert.Equal(LivenessState.Inactive, unknownToken.Verification!.State);
        Assert.All(server.Requests, r => Assert.Equal(("GET", "/api/v4/personal_access_tokens/self"), (r.Method, r.Target)));
    }

    [Fact]
    public async Task GitLab_500_leaves_liveness_unknown_after_retries()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(500, ProviderAnswers.GitLabServerError));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var gitlab = new GitLabProvider(server.BaseUrl, http);

        var result = await gitlab.VerifyAsync(Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()));

        Assert.Equal(LivenessState.Unknown, result.Verification!.State);
        Assert.Equal(Fakes.FastPolicy.MaxAttempts, server.Requests.Count);
    }

    [Fact]
    public async Task Slack_revocation_posts_auth_revoke_with_the_bearer_token_only()
    {
        var token = Fakes.SlackToken();
        using var server = new LoopbackServer(_ => CannedResponse.Json(200, ProviderAnswers.SlackRevoked));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var slack = new SlackProvider(new Uri(server.BaseUrl, "api/"), http);

        var result = Assert.Single(await Fakes.Collect(slack.RevokeAsync(new[] { Fakes.Secret(Fakes.SlackBot, token) })));

        Assert.Equal(Outcome.Revoked, result.Outcome);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/auth.revoke", request.Target);
        Assert.Equal("Bearer " + token, request.Header("Authorization"));
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Empty(request.Body);
        Assert.Equal(new[] { "authorization", "content-length", "content-type", "host", "user-agent" }, request.HeaderNames.Select(n => n.ToLowerInvariant()).Order());
    }

    [Fact]
    public async Task Slack_invalid_auth_counts_as_done_and_ratelimited_is_retried()
    {
        var dead = Fakes.SlackToken();
        var calls = 0;
        using var server = new LoopbackServer(r => r.Header("Authorization") == "Bearer " + dead
            ? CannedResponse.Json(200, ProviderAnswers.SlackTokenRevoked)
            : Interlocked.Increment(ref calls) == 1
                ? CannedResponse.Json(429, ProviderAnswers.SlackRateLimited, ("Retry-After", "1"))
                : CannedResponse.Json(200, ProviderAnswers.SlackRevoked));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var slack = new SlackProvider(server.BaseUrl, http);

        var results = await Fakes.Collect(slack.RevokeAsync(new[] { Fakes.Secret(Fakes.SlackBot, dead), Fakes.Secret(Fakes.SlackBot, Fakes.SlackToken()) }));

        Assert.Equal(Outcome.AlreadyRevoked, results[0].Outcome);
        Assert.Equal(Outcome.Revoked, results[1].Outcome);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Slack_liveness_uses_auth_test_and_the_scopes_header()
    {
        var live = Fakes.SlackToken();
        using var server = new LoopbackServer(r => r.Header("Authorization") == "Bearer " + live
            ? CannedResponse.Json(200, ProviderAnswers.SlackAuthTest, ("x-oauth-scopes", "chat:write,channels:history,users:read"))
            : CannedResponse.Json(200, ProviderAnswers.SlackInvalidAuth));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var slack = new SlackProvider(server.BaseUrl, http);

        var active = await slack.VerifyAsync(Fakes.Secret(Fakes.SlackBot, live));
        var inactive = await slack.VerifyAsync(Fakes.Secret(Fakes.SlackBot, Fakes.SlackToken()));

        Assert.Equal(LivenessState.Active, active.Verification!.State);
        Assert.Equal(new[] { "chat:write", "channels:history", "users:read" }, active.Verification.Scopes);
        Assert.Equal(LivenessState.Inactive, inactive.Verification!.State);
        Assert.All(server.Requests, r => Assert.Equal(("POST", "/auth.test"), (r.Method, r.Target)));
    }
}
