// Hand-made rules, findings and reports for the writer tests; every secret is an obvious fake.
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using SecretScan.Core;

namespace SecretScan.Reporting.Tests;

internal static class ReportFixture
{
    public const string ScanRoot = "/home/dev/projekte/my app";

    public static readonly Rule CloudKey = new()
    {
        Id = "SS9001",
        Name = "fake-cloud-key",
        Title = "Fake cloud access key",
        Severity = Severity.Critical,
        Confidence = Confidence.High,
        Checksum = "fake-crc32",
        Tags = new[] { "fake-cloud", "cloud" },
        Help = "A fake cloud access key gives whoever holds it the rights of its owner.\nRotate it in the console.\n\n## Rotate\n\n- Create a new key.\n- Delete the old one.\n",
        References = new[] { "https://docs.example.invalid/fake-cloud/keys" },
    };

    public static readonly Rule ChatToken = new()
    {
        Id = "SS9002",
        Name = "fake-chat-token",
        Title = "Fake chat bot token",
        Severity = Severity.High,
        Confidence = Confidence.Medium,
        Tags = new[] { "fake-chat" },
    };

    public static readonly Rule GenericPassword = new()
    {
        Id = "SS9003",
        Name = "generic-password",
        Title = "Password assigned in configuration",
        Severity = Severity.Medium,
        Confidence = Confidence.Low,
        Tags = new[] { "generic" },
        Help = "A password is assigned a literal value. Move it to a secret store.",
    };

    public static readonly Rule TestKey = new()
    {
        Id = "SS9004",
        Name = "fake-payments-test-key",
        Title = "Fake payments test key",
        Severity = Severity.Low,
        Confidence = Confidence.High,
        Environment = "test",
        Tags = new[] { "fake-payments" },
        Help = "A test-mode key: it cannot move money, but it reads test data.",
        References = new[] { "not a url", "https://docs.example.invalid/payments/keys" },
    };

    /// <summary>Enabled but without findings: it must still be listed, so GitHub can close its old alerts.</summary>
    public static readonly Rule Unused = new()
    {
        Id = "SS9005",
        Name = "fake-unused-rule",
        Title = "Fake rule with no findings",
        Severity = Severity.High,
        Confidence = Confidence.High,
    };

    public static IReadOnlyList<Rule> Rules { get; } = new[] { Unused, TestKey, CloudKey, ChatToken, GenericPassword };

    /// <summary>The golden report: fixed fake secrets so hashes stay put; paths with a space and a non-ASCII letter; one warning.</summary>
    public static ScanReport Golden() => new()
    {
        ToolVersion = "0.1.0",
        ScanRoot = ScanRoot,
        Rules = Rules,
        Findings = new[]
        {
            MakeFinding(TestKey, "tests/fixtures/keys.txt", 7, 9, "FAKE-SECRET-test-9f8e7d6c5b4a3210", "key = {secret}"),
            MakeFinding(ChatToken, "src/Zugänge/Konto.cs", 12, 27, "FAKE-SECRET-chat-abc123def456ghi789", "const string Token = \"{secret}\";", ValidationState.ChecksumValid) with
            {
                Verification = new Verification { State = LivenessState.Unknown, Provider = "fake-chat", Detail = "timed-out: no answer within 10 s" },
            },
            MakeFinding(CloudKey, "config/app settings.json", 3, 14, "FAKE-SECRET-abc123def456ghi789jkl012", "  \"key\": \"{secret}\",", entropy: 4.123) with
            {
                Verification = new Verification { State = LivenessState.Active, Provider = "fake-cloud", Scopes = new[] { "admin", "storage:write" } },
            },
            MakeFinding(GenericPassword, "config/app settings.json", 4, 15, "FAKE-SECRET-pw-0a1b2c3d4e5f", "  \"password\": \"{secret}\""),
            MakeFinding(GenericPassword, "deploy/.env", 1, 10, "FAKE-SECRET-pw-f5e4d3c2b1a0", "PASSWORD={secret}"),
        },
        Warnings = new[]
        {
            new ScanWarning(ScanWarningKind.RegexTimeout, "assets/big bundle.min.js", "regex of rule SS9003 timed out after 1000 ms; findings of this rule in this file may be missing", "SS9003"),
        },
        Statistics = new ScanStatistics
        {
            FilesScanned = 42,
            BytesScanned = 123_456,
            FilesSkipped = 2,
            Errors = 0,
            Duration = TimeSpan.FromMilliseconds(1234),
        },
    };

    /// <summary>A second run, as history scans will add: its own category, a finding that lives only in an old commit.</summary>
    public static ScanReport GoldenHistory() => new()
    {
        ToolVersion = "0.1.0",
        ScanRoot = ScanRoot,
        Category = ScanReport.HistoryCategory,
        Rules = Rules,
        Findings = new[]
        {
            MakeFinding(CloudKey, "old/credentials.ini", 2, 7, "FAKE-SECRET-old-00aa11bb22cc33dd", "key = {secret}", commit: "4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
        },
        Statistics = new ScanStatistics { FilesScanned = 17, BytesScanned = 9_876, Duration = TimeSpan.FromMilliseconds(321) },
    };

    /// <summary>A finding as the engine makes one: hashes from SecretIdentity, the snippet with the secret redacted.</summary>
    public static Finding MakeFinding(
        Rule rule,
        string path,
        int line,
        int column,
        string secret,
        string lineTemplate,
        ValidationState validation = ValidationState.Unverified,
        double entropy = 3.5,
        string? commit = null)
    {
        var redacted = SecretIdentity.Redact(secret);
        var hash = SecretIdentity.HashSecret(secret);
        return new Finding
        {
            Rule = rule,
            Path = path,
            Line = line,
            Column = column,
            EndLine = line,
            EndColumn = column + secret.Length,
            Secret = secret,
            Redacted = redacted,
            SecretHash = hash,
            Fingerprint = SecretIdentity.Fingerprint(rule.Id, hash, path),
            Snippet = lineTemplate.Replace("{secret}", redacted, StringComparison.Ordinal).Trim(),
            Commit = commit,
            Validation = validation,
            Entropy = entropy,
        };
    }

    /// <summary>A fresh fake secret for tests that must not depend on a fixed value.</summary>
    public static string RandomSecret() => "FAKE-SECRET-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public static string ProjectDirectory { get; } =
        typeof(ReportFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;

    public static string Render(IReportWriter writer, ScanReport report, ReportOptions? options = null)
    {
        using var stream = new MemoryStream();
        writer.Write(report, stream, options);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string RenderSarif(IReadOnlyList<ScanReport> runs, ReportOptions? options = null)
    {
        using var text = new StringWriter();
        new SarifReportWriter().Write(runs, text, options);
        return text.ToString();
    }
}
