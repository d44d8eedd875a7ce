// End to end through the real CLI process: dry run, --yes, --verify in every report format, revoke --from, audit verify, a kill mid-run.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SecretScan.Revocation.Tests;

public class CliRevocationTests
{
    private const string HookKeyVariable = "SECRETSCAN_E2E_HOOK_KEY";

    [Fact]
    public void Revoke_is_a_dry_run_until_yes_then_acts_once_per_secret()
    {
        using var dir = new TempFolder();
        var slack = Fakes.SlackToken();
        var gitlab = Fakes.GitLabToken();
        dir.Write("repo/app.env", $"SLACK_BOT_TOKEN={slack}\n");
        dir.Write("repo/deploy/ci.env", $"# copied\nSLACK_BOT_TOKEN={slack}\nGITLAB_TOKEN={gitlab}\n");
        using var slackServer = new LoopbackServer(_ => CannedResponse.Json(200, ProviderAnswers.SlackRevoked));
        using var gitlabServer = new LoopbackServer(_ => new CannedResponse(204));
        using var hookServer = new LoopbackServer(_ => new CannedResponse(204));
        var config = WriteConfig(dir, slackServer, gitlabServer, $"""
              hooks:
                - tags: [slack]
                  webhook:
                    url: {hookServer.BaseUrl}secretscan
                    secret_env: {HookKeyVariable}
            """);
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var env = new Dictionary<string, string> { [HookKeyVariable] = key };

        var dry = CliRunner.Run(dir.Path, env, "scan", "repo", "--config", config, "--revoke", "--format", "json", "--no-progress");

        Assert.True(dry.ExitCode == 1, dry.ToString());
        Assert.Contains("revocation plan: 2 distinct secrets, 3 actions", dry.StdErr);
        Assert.Contains("dry run: nothing was revoked", dry.StdErr);
        Assert.Contains("auth.revoke", dry.StdErr);
        Assert.Contains("personal_access_tokens/self", dry.StdErr);
        Assert.Empty(slackServer.Requests);
        Assert.Empty(gitlabServer.Requests);
        Assert.Empty(hookServer.Requests);
        Assert.False(File.Exists(dir.Combine("audit.jsonl")), "a dry run writes no audit log");
        Assert.Equal(3, JsonDocument.Parse(dry.StdOut).RootElement.GetProperty("findings").GetArrayLength());

        var act = CliRunner.Run(dir.Path, env, "scan", "repo", "--config", config, "--revoke", "--yes", "--format", "json", "--no-progress");

        Assert.True(act.ExitCode == 1, act.ToString());
        Assert.Contains("revocation: 3 done, 0 failed", act.StdErr);
        Assert.Equal("Bearer " + slack, Assert.Single(slackServer.Requests).Header("Authorization"));
        Assert.Equal(gitlab, Assert.Single(gitlabServer.Requests).Header("PRIVATE-TOKEN"));
        var hook = Assert.Single(hookServer.Requests);
        Assert.Equal(WebhookHook.Sign(Encoding.UTF8.GetBytes(key), hook.Body), hook.Header(WebhookHook.SignatureHeader));
        foreach (var output in new[] { dry.StdOut, dry.StdErr, act.StdOut, act.StdErr, File.ReadAllText(dir.Combine("audit.jsonl")) })
        {
            Assert.DoesNotContain(slack, output);
            Assert.DoesNotContain(gitlab, output);
        }

        var audit = CliRunner.Run(dir.Path, "audit", "verify", dir.Combine("audit.jsonl"));
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("intact, 3 entries", audit.StdOut);
    }

    [Fact]
    public void A_failed_revocation_makes_the_exit_code_2()
    {
        using var dir = new TempFolder();
        dir.Write("repo/ci.env", $"GITLAB_TOKEN={Fakes.GitLabToken()}\n");
        using var slackServer = new LoopbackServer(_ => CannedResponse.Json(200, ProviderAnswers.SlackRevoked));
        using var gitlabServer = new LoopbackServer(_ => CannedResponse.Json(500, ProviderAnswers.GitLabServerError));
        var config = WriteConfig(dir, slackServer, gitlabServer);

        var r = CliRunner.Run(dir.Path, "scan", "repo", "--config", config, "--revoke", "--yes", "--no-progress");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("rejected", r.StdErr);
        Assert.Contains("1 failed", r.StdErr);
        Assert.Equal(3, gitlabServer.Requests.Count);
    }

    [Fact]
    public void Verify_puts_state_and_scopes_into_every_report_format()
    {
        using var dir = new TempFolder();
        var live = Fakes.SlackToken();
        dir.Write("repo/app.env", $"SLACK_BOT_TOKEN={live}\nOTHER={live}\n");
        using var slackServer = new LoopbackServer(_ => CannedResponse.Json(200, ProviderAnswers.SlackAuthTest, ("x-oauth-scopes", "admin,chat:write")));
        using var gitlabServer = new LoopbackServer(_ => new CannedResponse(204));
        var config = WriteConfig(dir, slackServer, gitlabServer);

        var json = CliRunner.Run(dir.Path, "scan", "repo", "--config", config, "--verify", "--format", "json", "--no-progress");
        var sarif = CliRunner.Run(dir.Path, "scan", "repo", "--config", config, "--verify", "--format", "sarif", "--no-progress");
        var text = CliRunner.Run(dir.Path, "scan", "repo", "--config", config, "--verify", "--format", "text", "--no-progress");

        Assert.True(json.ExitCode == 1, json.ToString());
        var finding = JsonDocument.Parse(json.StdOut).RootElement.GetProperty("findings")[0];
        Assert.Equal("active", finding.GetProperty("validation").GetString());
        var verification = finding.GetProperty("verification");
        Assert.Equal("active", verification.GetProperty("state").GetString());
        Assert.Equal("slack", verification.GetProperty("provider").GetString());
        Assert.Equal(new[] { "admin", "chat:write" }, verification.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var result = JsonDocument.Parse(sarif.StdOut).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal("active", result.GetProperty("properties").GetProperty("verification").GetProperty("state").GetString());
        Assert.Contains("verified: active (slack; scopes: admin, chat:write", text.StdOut);

        // Two findings of one secret, three runs: one check per run.
        Assert.Equal(3, slackServer.Requests.Count);
        Assert.True(AuditLogVerifier.Verify(dir.Combine("audit.jsonl")).IsIntact);
        Assert.Equal(3, AuditLogVerifier.Verify(dir.Combine("audit.jsonl")).Entries);
    }

    [Fact]
    public void Revoke_from_a_report_rereads_the_secret_and_acts_only_when_its_hash_matches()
    {
        using var dir = new TempFolder();
        var token = Fakes.SlackToken();
        var file = dir.Write("repo/app.env", $"# settings\nSLACK_BOT_TOKEN={token}\n");
        using var slackServer = new LoopbackServer(_ => CannedResponse.Json(200, ProviderAnswers.SlackRevoked));
        using var gitlabServer = new LoopbackServer(_ => new CannedResponse(204));
        var config = WriteConfig(dir, slackServer, gitlabServer);
        var report = dir.Combine("report.json");
        var sarif = dir.Combine("report.sarif");
        Assert.Equal(1, CliRunner.Run(dir.Path, "scan", "repo", "--format", "json", "--output", report, "--no-progress").ExitCode);
        Assert.Equal(1, CliRunner.Run(dir.Path, "scan", "repo", "--format", "sarif", "--output", sarif, "--no-progress").ExitCode);
        Assert.DoesNotContain(token, File.ReadAllText(report));

        // SARIF knows its scan root; a dry run from it recovers the secret and shows the plan.
        var plan = CliRunner.Run(dir.Path, "revoke", "--from", sarif, "--config", config);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("1 of 1 findings", plan.StdErr);
        Assert.Contains("dry run", plan.StdErr);
        Assert.Empty(slackServer.Requests);

        var act = CliRunner.Run(dir.Path, "revoke", "--from", report, "--root", dir.Combine("repo"), "--config", config, "--yes");
        Assert.True(act.ExitCode == 0, act.ToString());
        Assert.Equal("Bearer " + token, Assert.Single(slackServer.Requests).Header("Authorization"));

        // The file now holds another value: its hash differs from the report's, so nothing is sent.
        File.WriteAllText(file, $"# settings\nSLACK_BOT_TOKEN={Fakes.SlackToken()}\n");
        var stale = CliRunner.Run(dir.Path, "revoke", "--from", report, "--root", dir.Combine("repo"), "--config", config, "--yes");
        Assert.True(stale.ExitCode == 2, stale.ToString());
        Assert.Contains("no longer there", stale.StdErr);
        Assert.Single(slackServer.Requests);
    }

    [Fact]
    public void A_process_killed_mid_run_leaves_a_log_that_verifies_and_tampering_is_caught()
    {
        using var dir = new TempFolder();
        var tokens = Enumerable.Range(0, 6).Select(_ => Fakes.SlackToken()).ToArray();
        for (var i = 0; i < tokens.Length; i++)
        {
            dir.Write($"repo/service{i}.env", $"SLACK_BOT_TOKEN={tokens[i]}\n");
        }

        var answered = 0;
        using var slackServer = new LoopbackServer(_ => Interlocked.Increment(ref answered) <= 3
            ? CannedResponse.Json(200, ProviderAnswers.SlackRevoked)
            : CannedResponse.Json(200, ProviderAnswers.SlackRevoked) with { Delay = TimeSpan.FromMinutes(2) });
        using var gitlabServer = new LoopbackServer(_ => new CannedResponse(204));
        var config = WriteConfig(dir, slackServer, gitlabServer, timeoutMs: 60000);
        var log = dir.Combine("audit.jsonl");

        using (var process = CliRunner.Start(dir.Path, null, "scan", "repo", "--config", config, "--revoke", "--yes", "--no-progress"))
        {
            var waited = Stopwatch.StartNew();
            while (LineCount(log) < 3 && waited.Elapsed < TimeSpan.FromMinutes(2) && !process.HasExited)
            {
                Thread.Sleep(25);
            }

            Assert.False(process.HasExited, "the run should be stuck on the slow fourth call");
            Assert.Equal(3, LineCount(log));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var verify = CliRunner.Run(dir.Path, "audit", "verify", log);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("intact, 3 entries", verify.StdOut);

        var lines = File.ReadAllLines(log);
        (lines[0], lines[1]) = (lines[1], lines[0]);
        File.WriteAllLines(log, lines);
        var tampered = CliRunner.Run(dir.Path, "audit", "verify", log);
        Assert.True(tampered.ExitCode == 1, tampered.ToString());
        Assert.Contains("TAMPERED", tampered.StdOut);
    }

    [Fact]
    public void A_webhook_over_plain_http_is_a_config_error_with_its_line()
    {
        using var dir = new TempFolder();
        dir.Write("repo/a.txt", "nothing here\n");
        var config = dir.Write("cfg.yaml", "revoke:\n  hooks:\n    - rules: ['*']\n      webhook: { url: 'http://hooks.example.com/x', secret_env: K }\n");

        var r = CliRunner.Run(dir.Path, "scan", "repo", "--config", config, "--revoke");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("cfg.yaml:4:", r.StdErr);
        Assert.Contains("plain http://", r.StdErr);
    }

    private static string WriteConfig(TempFolder dir, LoopbackServer slack, LoopbackServer gitlab, string extra = "", int timeoutMs = 5000) =>
        dir.Write("secretscan.yaml", $"""
            revoke:
              audit_log: audit.jsonl
              timeout_ms: {timeoutMs}
              providers:
                slack: {slack.BaseUrl}
                gitlab: {gitlab.BaseUrl}

            """ + extra);

    private static int LineCount(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n');
    }
}
