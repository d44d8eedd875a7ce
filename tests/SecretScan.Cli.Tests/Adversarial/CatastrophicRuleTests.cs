// Custom rules built to backtrack catastrophically, and a file that is nothing but findings: bounded time, named warnings.
using System.Text;

namespace SecretScan.Cli.Tests.Adversarial;

public class CatastrophicRuleTests
{
    private const string EvilRules = """
        rules:
          - id: EVIL1
            name: nested-quantifier
            keywords: [aaaa]
            pattern: '(a+)+$'
          - id: EVIL2
            name: overlapping-alternation
            keywords: [xxxx]
            pattern: '(x|xx)*y'
          - id: EVIL3
            name: repeated-wildcard
            keywords: [bbbb]
            pattern: '(.*b){12}c'
        """;

    private const string TokenRule = """
          - id: GH1
            name: github-token
            keywords: [ghp_]
            pattern: '\b(ghp_[A-Za-z0-9]{36})\b'
            secret_group: 1
        """;

    [Fact]
    public void Backtracking_rules_in_a_rules_file_time_out_with_warnings_naming_them_and_the_other_rule_still_finds()
    {
        using var dir = new TempFolder();
        var rules = dir.Write("../" + Path.GetFileName(dir.Path) + "-rules.yaml", EvilRules + "\n" + TokenRule + "\n");
        try
        {
            var files = AdversarialScale.Count(6, 20);
            for (var i = 0; i < files; i++)
            {
                dir.Write($"hostile{i}.txt", new string('a', 30_000) + "!\n" + new string('x', 30_000) + "\n" + new string('b', 3_000) + "\n");
            }

            var planted = Hostile.Plant(dir.Path);
            const int timeoutMs = 200;
            var r = ScanOutcome.Scan(dir.Path, ".", "--rules", rules, "--regex-timeout", timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, r.ExitCode);
            r.AssertFound(planted);
            Assert.Equal(1, r.Findings);
            var timedOut = r.Warnings.Where(w => w.Kind == "regex-timeout" || w.Message.Contains("timed out")).ToArray();
            foreach (var id in new[] { "EVIL1", "EVIL2", "EVIL3" })
            {
                Assert.Contains(timedOut, w => w.Message.Contains(id, StringComparison.Ordinal));
            }

            // Each rule is disabled after 5 timeouts, so the whole scan costs at most rules x 5 x timeout of regex time
            // (plus the matches in flight on other threads), whatever the number of files. Process start-up on top.
            Assert.True(r.Elapsed < TimeSpan.FromSeconds(3 * 5 * timeoutMs / 1000.0 + 20), $"took {r.Elapsed}");
            Assert.Contains(timedOut, w => w.Message.Contains("disabled for the rest of this scan", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public void Backtracking_rules_added_by_a_config_leave_the_built_in_rules_working()
    {
        using var dir = new TempFolder();
        var config = dir.Write("evil.yaml", EvilRules + "\n");
        dir.Write("hostile.txt", new string('a', 30_000) + "!\n");
        var planted = Hostile.Plant(dir.Path);
        var r = ScanOutcome.Scan(dir.Path, ".", "--config", config, "--regex-timeout", "200", "--exclude", "evil.yaml");
        Assert.Equal(1, r.ExitCode);
        r.AssertFound(planted);
        Assert.Contains(r.Warnings, w => w.Path == "hostile.txt" && w.Message.Contains("EVIL1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_nothing_but_distinct_secrets_keeps_the_first_ten_thousand_and_counts_the_rest()
    {
        using var dir = new TempFolder();
        var count = AdversarialScale.Count(20_000, 1_000_000);
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append("t=").Append(Hostile.Token()).Append('\n');
        }

        dir.Write("flood.txt", sb.ToString());
        var planted = Hostile.Plant(dir.Path);
        var r = ScanOutcome.Scan(dir.Path, ".");
        Assert.Equal(1, r.ExitCode);
        r.AssertFound(planted);

        // Memory stays bounded: 10,000 findings kept for the file (the default cap), the rest counted, never silent.
        Assert.Equal(10_000 + 1, r.Findings);
        Assert.Contains(r.Warnings, w => w.Path == "flood.txt"
                                         && w.Message.StartsWith((count - 10_000).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " more findings not reported", StringComparison.Ordinal));

        var all = ScanOutcome.Scan(dir.Path, ".", "--max-findings-per-file", "0");
        Assert.Equal(count + 1, all.Findings);
    }
}
