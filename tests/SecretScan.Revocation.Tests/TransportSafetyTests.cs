// What the HTTP layer refuses or reports: plain http off loopback, untrusted TLS, refused connections, slow servers, redirects.
using SecretScan.Core;

namespace SecretScan.Revocation.Tests;

public class TransportSafetyTests
{
    [Theory]
    [InlineData("http://203.0.113.10/", false)]
    [InlineData("http://gitlab.example.com/", false)]
    [InlineData("http://127.0.0.2:8080/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("http://localhost:8080/", true)]
    [InlineData("https://gitlab.example.com/", true)]
    [InlineData("ftp://example.com/", false)]
    [InlineData("https://user:pw@example.com/", false)]
    public void Plain_http_is_allowed_only_to_loopback(string url, bool allowed) =>
        Assert.Equal(allowed, EndpointPolicy.Check(new Uri(url)) is null);

    [Fact]
    public async Task Plain_http_to_a_remote_host_is_refused_before_any_connection()
    {
        using var http = new HttpGateway(Fakes.FastPolicy);
        var slack = new SlackProvider(new Uri("http://203.0.113.10/api/"), http);

        var result = Assert.Single(await Fakes.Collect(slack.RevokeAsync(new[] { Fakes.Secret(Fakes.SlackBot, Fakes.SlackToken()) })));

        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Contains("plain http://", result.Detail);
        Assert.True(result.Duration < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_the_call_and_no_request_is_sent()
    {
        using var cert = LoopbackServer.UntrustedCertificate();
        using var server = new LoopbackServer(_ => CannedResponse.Json(200, ProviderAnswers.SlackRevoked), cert);
        using var http = new HttpGateway(Fakes.FastPolicy);
        var slack = new SlackProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(slack.RevokeAsync(new[] { Fakes.Secret(Fakes.SlackBot, Fakes.SlackToken()) })));

        Assert.Equal(Outcome.Unreachable, result.Outcome);
        Assert.Contains("TLS", result.Detail);
        Assert.Empty(server.Requests);

        // The client did connect and see the certificate (TLS 1.3 servers finish their side first), then refused to send.
        Assert.True(server.Connections >= 1);
    }

    [Fact]
    public async Task A_refused_connection_is_reported_not_thrown()
    {
        using var http = new HttpGateway(Fakes.FastPolicy);
        var gitlab = new GitLabProvider(new Uri($"http://127.0.0.1:{LoopbackServer.ClosedPort()}/"), http);

        var revoke = Assert.Single(await Fakes.Collect(gitlab.RevokeAsync(new[] { Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()) })));
        var verify = await gitlab.VerifyAsync(Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()));

        Assert.Equal(Outcome.Unreachable, revoke.Outcome);
        Assert.Contains("refused", revoke.Detail);
        Assert.Equal(LivenessState.Unknown, verify.Verification!.State);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_times_out()
    {
        // The timeout is generous enough that a loaded CI machine still connects and sends within it (a 400 ms timeout
        // once expired before the first request left the client); the server then holds its answer far longer.
        using var server = new LoopbackServer(_ => new CannedResponse(204) { Delay = TimeSpan.FromMinutes(1) });
        using var http = new HttpGateway(Fakes.FastPolicy with { Timeout = TimeSpan.FromSeconds(2) });
        var gitlab = new GitLabProvider(server.BaseUrl, http);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = Assert.Single(await Fakes.Collect(gitlab.RevokeAsync(new[] { Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()) })));

        Assert.Equal(Outcome.TimedOut, result.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");

        // A timed-out revocation may have landed: it is not sent again. The server records on its own thread, so
        // give it a moment, then check that one connection carried the one request.
        var settle = System.Diagnostics.Stopwatch.StartNew();
        while (server.Requests.Count == 0 && settle.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        Assert.Single(server.Requests);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_run_waits_fails_as_rate_limited_at_once()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(429, ProviderAnswers.SlackRateLimited, ("Retry-After", "3600")));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var slack = new SlackProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(slack.RevokeAsync(new[] { Fakes.Secret(Fakes.SlackBot, Fakes.SlackToken()) })));

        Assert.Equal(Outcome.RateLimited, result.Outcome);
        Assert.Equal(429, result.HttpStatus);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Redirects_are_not_followed_so_the_token_header_stays_put()
    {
        using var elsewhere = new LoopbackServer(_ => new CannedResponse(204));
        using var server = new LoopbackServer(_ => new CannedResponse(302, "", new Dictionary<string, string> { ["Location"] = elsewhere.BaseUrl + "steal" }));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var gitlab = new GitLabProvider(server.BaseUrl, http);

        var result = Assert.Single(await Fakes.Collect(gitlab.RevokeAsync(new[] { Fakes.Secret(Fakes.GitLabPat, Fakes.GitLabToken()) })));

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Equal(302, result.HttpStatus);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public void Details_never_hold_the_secret_even_when_a_provider_echoes_it()
    {
        var token = Fakes.SlackToken();
        var scrubbed = Provider.Scrub("invalid token " + token + "\u001b[31m", token);
        Assert.DoesNotContain(token, scrubbed);
        Assert.DoesNotContain('\u001b', scrubbed);
    }
}
