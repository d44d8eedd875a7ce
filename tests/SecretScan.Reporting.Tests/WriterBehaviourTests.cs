// Ordering, rule tables, JSON shape and text layout: the parts of each format that callers and people rely on.
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Reporting.Tests;

public class WriterBehaviourTests
{
    [Theory]
    [InlineData("sarif")]
    [InlineData("json")]
    [InlineData("text")]
    public void Output_does_not_depend_on_input_order(string format)
    {
        var writer = ReportFormats.Find(format)!;
        var report = ReportFixture.Golden();
        var shuffled = report with
        {
            Findings = report.Findings.Reverse().ToArray(),
            Rules = report.Rules.Reverse().ToArray(),
        };
        Assert.Equal(ReportFixture.Render(writer, report), ReportFixture.Render(writer, shuffled));
    }

    [Fact]
    public void Sarif_lists_each_rule_once_including_rules_only_findings_name()
    {
        var stray = new Rule { Id = "SS9999", Name = "stray-rule", Title = "Stray", Severity = Severity.Low };
        var report = ReportFixture.Golden() with
        {
            Rules = ReportFixture.Rules.Concat(ReportFixture.Rules).ToArray(),
            Findings = new[] { ReportFixture.MakeFinding(stray, "x.txt", 1, 1, ReportFixture.RandomSecret(), "{secret}") },
        };
        using var doc = JsonDocument.Parse(ReportFixture.Render(new SarifReportWriter(), report));
        var run = doc.RootElement.GetProperty("runs")[0];
        var ids = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToArray();
        Assert.Equal(new[] { "SS9001", "SS9002", "SS9003", "SS9004", "SS9005", "SS9999" }, ids);
        Assert.Equal(5, run.GetProperty("results")[0].GetProperty("ruleIndex").GetInt32());
    }

    [Theory]
    [InlineData("github-pat-classic", "GithubPatClassic")]
    [InlineData("aws_access_key", "AwsAccessKey")]
    [InlineData("SS1001", "SS1001")]
    public void Sarif_rule_names_are_pascal_case(string kebab, string expected) =>
        Assert.Equal(expected, SarifReportWriter.PascalName(kebab));

    [Fact]
    public void Json_findings_have_every_field_in_the_documented_order()
    {
        using var doc = JsonDocument.Parse(ReportFixture.Render(new JsonReportWriter(), ReportFixture.Golden()));
        var root = doc.RootElement;
        Assert.Equal(new[] { "version", "tool", "findings", "warnings", "statistics" }, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        var expected = new[]
        {
            "ruleId", "ruleName", "title", "severity", "confidence", "path", "line", "column", "endLine", "endColumn",
            "secret", "secretHash", "fingerprint", "commit", "validation", "verification", "history", "entropy", "snippet", "tags",
        };
        foreach (var finding in root.GetProperty("findings").EnumerateArray())
        {
            Assert.Equal(expected, finding.EnumerateObject().Select(p => p.Name));
        }

        var first = root.GetProperty("findings")[0];
        Assert.Equal("critical", first.GetProperty("severity").GetString());
        Assert.Equal("config/app settings.json", first.GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("commit").ValueKind);
        Assert.Equal("checksum-valid", root.GetProperty("findings")[3].GetProperty("validation").GetString());
        Assert.Equal("regex-timeout", root.GetProperty("warnings")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void Json_fields_match_the_readme_table()
    {
        // The README documents every field; a field added to the writer without a row fails here.
        var readme = File.ReadAllText(Path.Combine(ReportFixture.ProjectDirectory, "..", "..", "src", "SecretScan.Reporting", "README.md"));
        using var doc = JsonDocument.Parse(ReportFixture.Render(new JsonReportWriter(), ReportFixture.Golden() with { StartedAt = DateTimeOffset.UnixEpoch }));
        var names = new List<string>();
        Collect(doc.RootElement, "", names);
        foreach (var name in names.Distinct())
        {
            Assert.Contains("| `" + name + "` |", readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Text_summary_counts_by_severity()
    {
        Assert.Equal(
            "5 findings (1 critical, 1 high, 2 medium, 1 low) in 42 files, 2 skipped, 0 errors, 1234 ms",
            TextReportWriter.Summary(ReportFixture.Golden()));
        Assert.Equal(
            "0 findings in 1 file, 0 skipped, 1 error, 0 ms",
            TextReportWriter.Summary(new ScanReport { ToolVersion = "0.1.0", ScanRoot = "/r", Statistics = new ScanStatistics { FilesScanned = 1, Errors = 1 } }));
    }

    [Fact]
    public void Text_colors_severity_only_when_asked()
    {
        var plain = ReportFixture.Render(new TextReportWriter(), ReportFixture.Golden());
        var colored = ReportFixture.Render(new TextReportWriter(), ReportFixture.Golden(), new ReportOptions { Color = true });
        Assert.DoesNotContain("\u001b", plain, StringComparison.Ordinal);
        Assert.Contains("\u001b[1;31mCRITICAL\u001b[0m", colored, StringComparison.Ordinal);
        Assert.Equal(plain, colored.Replace("\u001b[1;31m", "").Replace("\u001b[31m", "").Replace("\u001b[33m", "").Replace("\u001b[36m", "").Replace("\u001b[0m", ""));
    }

    [Fact]
    public void Text_does_not_pass_escape_sequences_from_scanned_files_to_the_terminal()
    {
        var finding = ReportFixture.MakeFinding(ReportFixture.ChatToken, "evil\u001b[2J.txt", 1, 1, ReportFixture.RandomSecret(), "x\u001b]0;title\u0007 {secret}");
        var output = ReportFixture.Render(new TextReportWriter(), new ScanReport { ToolVersion = "0.1.0", ScanRoot = "/r", Findings = new[] { finding } });
        Assert.DoesNotContain("\u001b", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_appear_only_when_passed_in()
    {
        var without = ReportFixture.Render(new SarifReportWriter(), ReportFixture.Golden());
        Assert.DoesNotContain("TimeUtc", without, StringComparison.Ordinal);
        var started = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var with = ReportFixture.Render(new SarifReportWriter(), ReportFixture.Golden() with { StartedAt = started });
        Assert.Contains("\"startTimeUtc\": \"2025-01-02T01:04:05.000Z\"", with, StringComparison.Ordinal);
        Assert.Contains("\"endTimeUtc\": \"2025-01-02T01:04:06.234Z\"", with, StringComparison.Ordinal);
    }

    [Fact]
    public void Formats_are_found_by_name()
    {
        Assert.Equal(new[] { "text", "json", "sarif" }, ReportFormats.Names);
        Assert.IsType<SarifReportWriter>(ReportFormats.Find("SARIF"));
        Assert.Null(ReportFormats.Find("xml"));
    }

    private static void Collect(JsonElement element, string prefix, List<string> names)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                var name = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
                names.Add(name);
                Collect(property.Value, name, names);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, prefix + "[]", names);
            }
        }
    }
}
