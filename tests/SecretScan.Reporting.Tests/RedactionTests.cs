// No raw secret in any report by default, and the raw secret in every report only when redaction is turned off.
using SecretScan.Core;

namespace SecretScan.Reporting.Tests;

public class RedactionTests
{
    public static TheoryData<string> Formats => new() { "sarif", "json", "text" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Default_options_never_write_a_raw_secret(string format)
    {
        var (report, secrets) = RandomReport();
        var output = ReportFixture.Render(ReportFormats.Find(format)!, report);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);

            // Nor a large piece of it: redaction shows at most four characters.
            Assert.DoesNotContain(secret.Substring(12, 16), output, StringComparison.Ordinal);
        }

        Assert.Contains("FAKE*****", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void No_redact_writes_every_raw_secret(string format)
    {
        var (report, secrets) = RandomReport();
        var output = ReportFixture.Render(ReportFormats.Find(format)!, report, new ReportOptions { Redact = false });
        foreach (var secret in secrets)
        {
            Assert.Contains(secret, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_raw_secret_left_in_a_snippet_is_masked(string format)
    {
        var secret = ReportFixture.RandomSecret();
        var finding = ReportFixture.MakeFinding(ReportFixture.CloudKey, "a.txt", 1, 7, secret, "key = {secret}") with { Snippet = "key = " + secret };
        var report = new ScanReport { ToolVersion = "0.1.0", ScanRoot = "/r", Findings = new[] { finding } };
        var output = ReportFixture.Render(ReportFormats.Find(format)!, report);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_of_two_runs_never_writes_a_raw_secret()
    {
        var (report, secrets) = RandomReport();
        var history = report with { Category = ScanReport.HistoryCategory };
        var output = ReportFixture.RenderSarif(new[] { report, history });
        Assert.All(secrets, s => Assert.DoesNotContain(s, output, StringComparison.Ordinal));
    }

    private static (ScanReport Report, string[] Secrets) RandomReport()
    {
        var rules = new[] { ReportFixture.CloudKey, ReportFixture.ChatToken, ReportFixture.GenericPassword, ReportFixture.TestKey };
        var secrets = rules.Select(_ => ReportFixture.RandomSecret()).ToArray();
        var findings = rules.Select((rule, i) => ReportFixture.MakeFinding(
            rule, $"dir {i}/fïle{i}.txt", i + 1, 5, secrets[i], "k = \"{secret}\"", commit: i == 0 ? "0123456789abcdef0123456789abcdef01234567" : null)).ToArray();
        var report = new ScanReport
        {
            ToolVersion = "0.1.0",
            ScanRoot = "/tmp/scan root",
            Rules = rules,
            Findings = findings,
            Warnings = new[] { new ScanWarning(ScanWarningKind.Skipped, "bin/x.dll", "binary file") },
        };
        return (report, secrets);
    }
}
