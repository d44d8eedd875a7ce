// A run never acts on a secret twice, checks each secret once, and reads its `revoke:` config with file:line errors.
using SecretScan.Core;
using SecretScan.Rules.Yaml;

namespace SecretScan.Revocation.Tests;

public class SessionAndConfigTests
{
    [Fact]
    public async Task A_run_revokes_and_notifies_each_secret_once_and_logs_every_call()
    {
        var token = Fakes.SlackToken();
        using var slackServer = new LoopbackServer(_ => CannedResponse.Json(200, ProviderAnswers.SlackRevoked));
        using var hookServer = new LoopbackServer(_ => new CannedResponse(204));
        var path = Fakes.TempPath("audit.jsonl");
        var settings = new RevocationSettings
        {
            ProviderUrls = new Dictionary<string, Uri> { ["slack"] = slackServer.BaseUrl },
            Http = Fakes.FastPolicy,
            Hooks = new Hook[] { new WebhookHook(new HookMatch { Rules = new[] { "slack-bot-token" } }, hookServer.BaseUrl, "K", false) },
            Environment = _ => "key",
        };
        using (var audit = AuditLog.Open(path, "0.1.0"))
        using (var session = new RevocationSession(settings, audit))
        {
            var secrets = LeakedSecret.Group(new[] { Fakes.Finding(Fakes.SlackBot, token, "a.env"), Fakes.Finding(Fakes.SlackBot, token, "b.env") });
            Assert.Single(secrets);
            var plan = session.Plan(secrets);
            Assert.Equal(2, plan.ActionCount);
            Assert.Contains("auth.revoke", Assert.Single(plan.Describe()));

            var first = await session.ExecuteAsync(plan);
            var again = await session.ExecuteAsync(session.Plan(secrets));

            Assert.Equal(new[] { Outcome.Revoked, Outcome.Delivered }, first.Select(r => r.Outcome));
            Assert.Empty(again);
        }

        Assert.Single(slackServer.Requests);
        Assert.Single(hookServer.Requests);
        var log = AuditLogVerifier.Verify(path);
        Assert.True(log.IsIntact);
        Assert.Equal(2, log.Entries);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task Each_distinct_secret_is_checked_once_and_an_inactive_one_needs_no_revocation_call()
    {
        using var server = new LoopbackServer(r => r.Path.EndsWith("auth.test", StringComparison.Ordinal)
            ? CannedResponse.Json(200, ProviderAnswers.SlackInvalidAuth)
            : CannedResponse.Json(200, ProviderAnswers.SlackRevoked));
        var settings = new RevocationSettings { ProviderUrls = new Dictionary<string, Uri> { ["slack"] = server.BaseUrl }, Http = Fakes.FastPolicy };
        using var session = new RevocationSession(settings, audit: null);
        var token = Fakes.SlackToken();
        var secrets = LeakedSecret.Group(new[] { Fakes.Finding(Fakes.SlackBot, token, "a.env"), Fakes.Finding(Fakes.SlackBot, token, "b.env") });

        var checks = await session.VerifyAsync(secrets);
        await session.VerifyAsync(secrets);
        var verification = Assert.Single(checks).Verification!;
        var results = await session.ExecuteAsync(session.Plan(secrets, new Dictionary<string, Verification> { [secrets[0].SecretHash] = verification }));

        Assert.Equal(LivenessState.Inactive, verification.State);
        Assert.Equal(Outcome.AlreadyRevoked, Assert.Single(results).Outcome);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void The_plan_names_secrets_without_a_revoker()
    {
        var settings = new RevocationSettings();
        using var session = new RevocationSession(settings, audit: null);
        var generic = Fakes.Secret(new Rule { Id = "SS9999", Name = "exchange-key", Revoke = "binance", Pattern = "x" }, "FAKE-" + Guid.NewGuid().ToString("N"));

        var line = Assert.Single(session.Plan(new[] { generic }).Describe());

        Assert.Contains("'binance' is not built in", line);
        Assert.Contains("no revoker or hook", line);
        Assert.DoesNotContain(generic.Secret, line);
    }

    [Fact]
    public void The_revoke_section_is_read_with_hooks_providers_and_a_relative_audit_log()
    {
        var config = ScanConfigLoader.Parse("/work/repo/.secretscan.yaml", """
            revoke:
              audit_log: logs/audit.jsonl
              timeout_ms: 2500
              providers:
                github: https://ghe.example.com/api/v3
                gitlab: http://127.0.0.1:8080
              hooks:
                - rules: [SS1300, binance-api-key]
                  tags: [exchange]
                  webhook:
                    url: https://hooks.example.com/secretscan
                    secret_env: HOOK_KEY
                - tags: wallet
                  command:
                    argv: [/usr/local/bin/rotate, --now]
                    include_secret: false
                    timeout_ms: 5000
            """);

        var revoke = config.Revoke;
        Assert.Equal("/work/repo/logs/audit.jsonl", revoke.AuditLog);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), revoke.Timeout);
        Assert.Equal("https://ghe.example.com/api/v3", revoke.Providers["github"]);
        Assert.Equal(2, revoke.Hooks.Count);
        Assert.Equal(new[] { "SS1300", "binance-api-key" }, revoke.Hooks[0].Rules);
        Assert.Equal(new WebhookConfig("https://hooks.example.com/secretscan", "HOOK_KEY", false), revoke.Hooks[0].Webhook);
        Assert.Equal(new[] { "/usr/local/bin/rotate", "--now" }, revoke.Hooks[1].Command!.Argv);
        Assert.False(revoke.Hooks[1].Command!.IncludeSecret);

        var merged = config.Merge(ScanConfigLoader.Parse("/work/other.yaml", "revoke:\n  providers:\n    github: https://github.example.org/api/v3\n  hooks:\n    - rules: '*'\n      command: { argv: [/bin/true] }\n"));
        Assert.Equal("https://github.example.org/api/v3", merged.Revoke.Providers["github"]);
        Assert.Equal("http://127.0.0.1:8080", merged.Revoke.Providers["gitlab"]);
        Assert.Equal(3, merged.Revoke.Hooks.Count);
        Assert.Equal("/work/repo/logs/audit.jsonl", merged.Revoke.AuditLog);
    }

    [Theory]
    [InlineData("revoke:\n  audit_log: a.jsonl\n  hooks:\n    - rules: ['*']\n      webhook: { url: 'https://h.example.com', secret_env: K, sign: true }\n", 5, "unknown key 'sign'")]
    [InlineData("revoke:\n  hooks:\n    - rules: ['*']\n      webhook: { url: 'http://h.example.com/x', secret_env: K }\n", 4, "plain http://")]
    [InlineData("revoke:\n  hooks:\n    - rules: ['*']\n      webhook: { url: 'https://h.example.com/x' }\n", 4, "secret_env")]
    [InlineData("revoke:\n  hooks:\n    - rules: ['*']\n      webhook: { url: 'https://h.example.com/x', secret_env: K }\n      command: { argv: [x] }\n", 3, "exactly one")]
    [InlineData("revoke:\n  hooks:\n    - webhook: { url: 'https://h.example.com/x', secret_env: K }\n", 3, "'rules'")]
    [InlineData("revoke:\n  hooks:\n    - rules: ['*']\n      command: { argv: [] }\n", 4, "argv")]
    [InlineData("revoke:\n  providers:\n    gitlab: gitlab.example.com\n", 3, "https://")]
    [InlineData("revoke:\n  audit: x\n", 2, "unknown key 'audit'")]
    public void Bad_revoke_config_fails_with_file_and_line(string yaml, int line, string message)
    {
        var e = Assert.Throws<ConfigException>(() => ScanConfigLoader.Parse("cfg.yaml", yaml));
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"cfg.yaml:{line}: ", e.Message);
        Assert.Contains(message, e.Message);
    }
}
