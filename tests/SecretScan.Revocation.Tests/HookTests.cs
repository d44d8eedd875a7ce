// Webhook signatures checked the way a receiver would, and proof that a command hook sees the secret only on stdin.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Revocation.Tests;

public class HookTests
{
    private const string KeyVariable = "SECRETSCAN_TEST_HOOK_KEY";

    private static readonly HookMatch AllRules = new() { Rules = new[] { "*" } };

    [Fact]
    public async Task Webhook_body_is_signed_with_hmac_sha256_and_carries_no_secret_by_default()
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var token = Fakes.GitHubToken();
        using var server = new LoopbackServer(_ => new CannedResponse(204));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var hook = new WebhookHook(AllRules, new Uri(server.BaseUrl, "hooks/secretscan?team=sec"), KeyVariable, includeSecret: false);
        var context = new HookContext { Http = http, ToolVersion = "9.9.9", Environment = n => n == KeyVariable ? key : null };
        var secret = LeakedSecret.Group(new[] { Fakes.Finding(Fakes.GitHubPat, token, "a.env", 2), Fakes.Finding(Fakes.GitHubPat, token, "b/c.env", 9, "4b825dc642cb6eb9a060e54bf8d69288fbee4904") }).Single();

        var result = await hook.RunAsync(secret, context);

        Assert.Equal(Outcome.Delivered, result.Outcome);
        Assert.Equal(204, result.HttpStatus);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/hooks/secretscan?team=sec"), (request.Method, request.Target));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));

        // The receiving side: recompute the HMAC over the exact body bytes and compare in constant time.
        var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), request.Body)));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(request.Header(WebhookHook.SignatureHeader)!)));
        Assert.False(CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(WebhookHook.Sign(Encoding.UTF8.GetBytes(key + "x"), request.Body))));

        using var doc = JsonDocument.Parse(request.Body);
        var body = doc.RootElement;
        Assert.Equal(request.Header(WebhookHook.TimestampHeader), body.GetProperty("timestamp").GetInt64().ToString());
        Assert.True(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - body.GetProperty("timestamp").GetInt64()) < 300);
        Assert.Equal(request.Header(WebhookHook.DeliveryHeader), body.GetProperty("deliveryId").GetString());
        Assert.Equal("secretscan.leak", body.GetProperty("event").GetString());
        Assert.Equal("SS1100", body.GetProperty("rule").GetProperty("id").GetString());
        Assert.Equal("critical", body.GetProperty("severity").GetString());
        Assert.Equal(SecretIdentity.HashSecret(token), body.GetProperty("secretHash").GetString());
        Assert.Equal(secret.Fingerprint, body.GetProperty("fingerprint").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("secret").ValueKind);
        Assert.Equal(new[] { "a.env", "b/c.env" }, body.GetProperty("locations").EnumerateArray().Select(l => l.GetProperty("path").GetString()));
        Assert.Equal("4b825dc642cb6eb9a060e54bf8d69288fbee4904", body.GetProperty("locations")[1].GetProperty("commit").GetString());
        Assert.DoesNotContain(token, request.BodyText);
        Assert.DoesNotContain(key, request.BodyText);
    }

    [Fact]
    public async Task Webhook_sends_the_secret_only_when_the_config_opts_in()
    {
        var token = Fakes.SlackToken();
        using var server = new LoopbackServer(_ => new CannedResponse(200, "ok"));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var hook = new WebhookHook(new HookMatch { Tags = new[] { "slack" } }, server.BaseUrl, KeyVariable, includeSecret: true);
        var context = new HookContext { Http = http, Environment = _ => "k" };

        var secret = Fakes.Secret(Fakes.SlackBot, token);
        Assert.True(hook.Match.Matches(secret));
        Assert.Equal(Outcome.Delivered, (await hook.RunAsync(secret, context)).Outcome);

        using var doc = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        Assert.Equal(token, doc.RootElement.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Webhook_without_its_signing_key_or_over_plain_http_is_not_sent()
    {
        using var server = new LoopbackServer(_ => new CannedResponse(204));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var secret = Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken());

        var unsigned = await new WebhookHook(AllRules, server.BaseUrl, KeyVariable, false).RunAsync(secret, new HookContext { Http = http, Environment = _ => null });
        var plain = await new WebhookHook(AllRules, new Uri("http://hooks.example.com/x"), KeyVariable, false).RunAsync(secret, new HookContext { Http = http, Environment = _ => "k" });

        Assert.Equal(Outcome.Refused, unsigned.Outcome);
        Assert.Contains(KeyVariable, unsigned.Detail);
        Assert.Equal(Outcome.Refused, plain.Outcome);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Webhook_error_status_is_rejected()
    {
        using var server = new LoopbackServer(_ => new CannedResponse(401, "unauthorized"));
        using var http = new HttpGateway(Fakes.FastPolicy);
        var result = await new WebhookHook(AllRules, server.BaseUrl, KeyVariable, false)
            .RunAsync(Fakes.Secret(Fakes.GitHubPat, Fakes.GitHubToken()), new HookContext { Http = http, Environment = _ => "k" });

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Equal(401, result.HttpStatus);
    }

    [Fact]
    public async Task Command_hook_gets_the_event_on_stdin_and_the_secret_nowhere_else()
    {
        var token = Fakes.SlackToken();
        var dir = Path.GetDirectoryName(Fakes.TempPath("x"))!;
        Directory.CreateDirectory(dir);
        try
        {
            // The hook dumps what the kernel says its argv and environment are, and what arrived on stdin.
            var script = Path.Combine(dir, "hook.sh");
            File.WriteAllText(script, "cat /proc/$$/cmdline > \"$1/argv\"\ncat /proc/$$/environ > \"$1/environ\"\ncat > \"$1/stdin\"\n");

            // The leaked token is also in this process's environment (it was exported before it leaked): the hook must not inherit it.
            var leakedVariable = "SECRETSCAN_TEST_LEAKED_" + Guid.NewGuid().ToString("N");
            Environment.SetEnvironmentVariable(leakedVariable, "prefix-" + token);
            Environment.SetEnvironmentVariable("SECRETSCAN_TEST_HARMLESS", "kept");
            ActionResult result;
            try
            {
                var hook = new CommandHook(AllRules, new[] { "/bin/sh", script, dir, "--rule", "{rule}" });
                using var http = new HttpGateway(Fakes.FastPolicy);
                result = await hook.RunAsync(Fakes.Secret(Fakes.SlackBot, token), new HookContext { Http = http });
            }
            finally
            {
                Environment.SetEnvironmentVariable(leakedVariable, null);
            }

            Assert.Equal(Outcome.Delivered, result.Outcome);
            var argv = File.ReadAllText(Path.Combine(dir, "argv")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var environ = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(new[] { "/bin/sh", script, dir, "--rule", "{rule}" }, argv);
            Assert.DoesNotContain(argv, a => a.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(environ, e => e.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(environ, e => e.StartsWith(leakedVariable + "=", StringComparison.Ordinal));
            Assert.Contains("SECRETSCAN_TEST_HARMLESS=kept", environ);

            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "stdin")));
            Assert.Equal(token, doc.RootElement.GetProperty("secret").GetString());
            Assert.Equal("SS1200", doc.RootElement.GetProperty("rule").GetProperty("id").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Command_hook_exit_code_and_timeout_are_reported()
    {
        using var http = new HttpGateway(Fakes.FastPolicy);
        var context = new HookContext { Http = http };
        var secret = Fakes.Secret(Fakes.SlackBot, Fakes.SlackToken());

        var failed = await new CommandHook(AllRules, new[] { "/bin/sh", "-c", "cat > /dev/null; echo 'exchange said no' >&2; exit 3" }).RunAsync(secret, context);
        var slow = await new CommandHook(AllRules, new[] { "/bin/sleep", "30" }, timeout: TimeSpan.FromMilliseconds(300)).RunAsync(secret, context);
        var missing = await new CommandHook(AllRules, new[] { "/nonexistent/revoke-tool" }).RunAsync(secret, context);

        Assert.Equal(Outcome.Rejected, failed.Outcome);
        Assert.Contains("exit code 3", failed.Detail);
        Assert.Contains("exchange said no", failed.Detail);
        Assert.Equal(Outcome.TimedOut, slow.Outcome);
        Assert.True(slow.Duration < TimeSpan.FromSeconds(10));
        Assert.Equal(Outcome.Unreachable, missing.Outcome);
    }
}
