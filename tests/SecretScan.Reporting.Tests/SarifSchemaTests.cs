// The SARIF output against the official 2.1.0 schema and against what GitHub code scanning needs to accept an upload.
using System.Text.Json;
using Json.Schema;
using SecretScan.Core;

namespace SecretScan.Reporting.Tests;

public class SarifSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFile(Path.Combine(ReportFixture.ProjectDirectory, "Schemas", "sarif-2.1.0.json")));

    public static TheoryData<string> Cases => new() { "golden", "two-runs", "no-redact", "empty" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sarif_is_valid_against_the_official_schema(string name)
    {
        var result = Schema.Value.Evaluate(Parse(Produce(name)).RootElement, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });

        var errors = (result.Details ?? new List<EvaluationResults>())
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .Take(10);
        Assert.True(result.IsValid, "schema errors:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void Schema_rejects_a_broken_log()
    {
        // Guards the test above: a validator that accepts everything would make it pass for nothing.
        var broken = Produce("golden").Replace("\"startLine\": 3", "\"startLine\": \"three\"", StringComparison.Ordinal);
        Assert.False(Schema.Value.Evaluate(Parse(broken).RootElement).IsValid);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sarif_meets_GitHub_code_scanning_rules(string name)
    {
        using var doc = Parse(Produce(name));
        var root = doc.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var categories = new HashSet<string>();
        foreach (var run in root.GetProperty("runs").EnumerateArray())
        {
            Assert.True(categories.Add(run.GetProperty("automationDetails").GetProperty("id").GetString()!), "duplicate category");
            var driver = run.GetProperty("tool").GetProperty("driver");
            Assert.Equal("SecretScan", driver.GetProperty("name").GetString());
            var rules = driver.GetProperty("rules").EnumerateArray().ToArray();
            var ids = rules.Select(r => r.GetProperty("id").GetString()!).ToArray();
            Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
            foreach (var rule in rules)
            {
                foreach (var key in new[] { "shortDescription", "fullDescription" })
                {
                    var text = rule.GetProperty(key).GetProperty("text").GetString()!;
                    Assert.False(string.IsNullOrWhiteSpace(text), $"{rule.GetProperty("id")} {key}");
                    Assert.True(text.Length <= 1024);
                }

                Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("help").GetProperty("text").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("help").GetProperty("markdown").GetString()));
                var properties = rule.GetProperty("properties");
                var severity = double.Parse(properties.GetProperty("security-severity").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(severity, 0.1, 10.0);
                var tags = properties.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToArray();
                Assert.Contains("security", tags);
                Assert.Contains("secret", tags);
                Assert.Contains(properties.GetProperty("precision").GetString(), new[] { "very-high", "high", "medium", "low" });
            }

            foreach (var result in run.GetProperty("results").EnumerateArray())
            {
                var ruleId = result.GetProperty("ruleId").GetString()!;
                Assert.Equal(ruleId, ids[result.GetProperty("ruleIndex").GetInt32()]);
                Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetProperty("text").GetString()));
                var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                var uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
                Assert.True(Uri.TryCreate(uri, UriKind.Relative, out _), uri);
                Assert.False(uri.StartsWith('/') || uri.StartsWith("file:", StringComparison.Ordinal) || uri.EndsWith('/'), uri);
                Assert.DoesNotContain(' ', uri);
                Assert.True(uri.All(char.IsAscii), uri);
                Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
                Assert.True(location.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
                Assert.False(string.IsNullOrEmpty(result.GetProperty("partialFingerprints").GetProperty("primaryLocationLineHash").GetString()));
            }

            var srcRoot = run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString()!;
            Assert.True(Uri.TryCreate(srcRoot, UriKind.Absolute, out var rootUri) && rootUri.IsFile, srcRoot);
            Assert.EndsWith("/", srcRoot);
        }
    }

    [Fact]
    public void Golden_run_carries_the_mappings_the_brief_fixes()
    {
        using var doc = Parse(Produce("golden"));
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal("secretscan/tree/", run.GetProperty("automationDetails").GetProperty("id").GetString());
        Assert.Equal("file:///home/dev/projekte/my%20app/", run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(new[] { "SS9001", "SS9002", "SS9003", "SS9004", "SS9005" }, rules.Keys);
        Assert.Equal("FakeCloudKey", rules["SS9001"].GetProperty("name").GetString());
        Assert.Equal("9.5", rules["SS9001"].GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal("8.0", rules["SS9002"].GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal("5.5", rules["SS9003"].GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal("3.0", rules["SS9004"].GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal("https://docs.example.invalid/payments/keys", rules["SS9004"].GetProperty("helpUri").GetString());
        Assert.Equal("note", rules["SS9004"].GetProperty("defaultConfiguration").GetProperty("level").GetString());

        var uris = run.GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString())
            .ToArray();
        Assert.Equal(new[] { "config/app%20settings.json", "config/app%20settings.json", "deploy/.env", "src/Zug%C3%A4nge/Konto.cs", "tests/fixtures/keys.txt" }, uris);
        Assert.Equal(
            new[] { "error", "warning", "warning", "error", "note" },
            run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("level").GetString()).ToArray());

        var invocation = run.GetProperty("invocations")[0];
        Assert.True(invocation.GetProperty("executionSuccessful").GetBoolean());
        var notification = Assert.Single(invocation.GetProperty("toolExecutionNotifications").EnumerateArray());
        Assert.Equal("assets/big%20bundle.min.js", notification.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("SS9003", notification.GetProperty("associatedRule").GetProperty("id").GetString());
    }

    [Fact]
    public void Errors_make_the_invocation_unsuccessful()
    {
        var report = ReportFixture.Golden() with
        {
            Warnings = new[] { new ScanWarning(ScanWarningKind.Error, "locked.db", "access denied") },
            Statistics = new ScanStatistics { Errors = 1 },
        };
        using var doc = Parse(ReportFixture.Render(new SarifReportWriter(), report));
        var invocation = doc.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        Assert.Equal("error", invocation.GetProperty("toolExecutionNotifications")[0].GetProperty("level").GetString());
    }

    [Fact]
    public void Two_runs_of_one_category_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ReportFixture.RenderSarif(new[] { ReportFixture.Golden(), ReportFixture.Golden() }));
    }

    [Fact]
    public void Absolute_paths_under_the_root_become_relative()
    {
        var finding = ReportFixture.MakeFinding(ReportFixture.ChatToken, ReportFixture.ScanRoot + "/lib/a b.txt", 1, 1, ReportFixture.RandomSecret(), "{secret}");
        var outside = ReportFixture.MakeFinding(ReportFixture.ChatToken, "/etc/other/x.txt", 1, 1, ReportFixture.RandomSecret(), "{secret}");
        var report = ReportFixture.Golden() with { Findings = new[] { finding, outside } };
        using var doc = Parse(ReportFixture.Render(new SarifReportWriter(), report));
        var locations = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation"))
            .ToArray();
        Assert.Equal("file:///etc/other/x.txt", locations[0].GetProperty("uri").GetString());
        Assert.False(locations[0].TryGetProperty("uriBaseId", out _));
        Assert.Equal("lib/a%20b.txt", locations[1].GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", locations[1].GetProperty("uriBaseId").GetString());
    }

    internal static string Produce(string name) => name switch
    {
        "golden" => ReportFixture.Render(new SarifReportWriter(), ReportFixture.Golden()),
        "two-runs" => ReportFixture.RenderSarif(new[] { ReportFixture.Golden(), ReportFixture.GoldenHistory() }),
        "no-redact" => ReportFixture.Render(new SarifReportWriter(), ReportFixture.Golden(), new ReportOptions { Redact = false }),
        "empty" => ReportFixture.Render(new SarifReportWriter(), new ScanReport { ToolVersion = "0.1.0", ScanRoot = "/tmp/empty" }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static JsonDocument Parse(string json) => JsonDocument.Parse(json);
}
