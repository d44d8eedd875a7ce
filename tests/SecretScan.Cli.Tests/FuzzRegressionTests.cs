// Reports the fuzz harness (tests/SecretScan.Fuzz, target `readers`) found crashing `revoke --from`: a report is
// input, not trusted, so members of the wrong shape read as missing (as the JSON reader always did) instead of throwing.
namespace SecretScan.Cli.Tests;

public class FuzzRegressionTests
{
    [Theory]
    [InlineData("""{"runs":[{"results":[{"ruleId":"x"}]}]}""", 1)]                                        // no locations: KeyNotFoundException
    [InlineData("""{"runs":[1]}""", 0)]                                                                     // a run that is no object: InvalidOperationException
    [InlineData("""{"runs":[{"results":[7]}]}""", 1)]                                                       // a result that is no object
    [InlineData("""{"runs":[{"results":[{"locations":[]}]}]}""", 1)]                                        // empty locations: IndexOutOfRangeException
    [InlineData("""{"runs":[{"results":[{"locations":{"a":1}}]}]}""", 1)]                                   // locations no array
    [InlineData("""{"runs":[{"results":[{"locations":[{"physicalLocation":{"artifactLocation":3}}]}]}]}""", 1)]
    [InlineData("""{"runs":[{"originalUriBaseIds":[],"results":[]}]}""", 0)]                                // base ids no object
    [InlineData("""{"runs":[{"originalUriBaseIds":{"%SRCROOT%":"x"},"results":{}}]}""", 0)]
    [InlineData("""{"runs":[{"results":[{"locations":[{"physicalLocation":{"region":{"startLine":"1"}}}],"message":5}]}]}""", 1)]
    [InlineData("""{"findings":[{"ruleId":"x","line":"12","column":true}]}""", 1)]                          // JSON report: TryGetInt32 on a string threw
    public void Malformed_reports_read_without_throwing(string json, int expected)
    {
        using var folder = new TempFolder();
        var path = folder.Write("report.sarif", json);
        var (findings, _) = ReportFindings.Read(path);
        Assert.Equal(expected, findings.Count);
        Assert.All(findings, f => Assert.Equal(0, f.Line));
    }

    [Fact]
    public void A_well_formed_sarif_result_still_reads_its_location()
    {
        using var folder = new TempFolder();
        var path = folder.Write("report.sarif", """
            {"runs":[{"results":[{"ruleId":"SS1","message":{"text":"Demo found: ab***"},
              "locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a%20b.txt"},"region":{"startLine":3,"startColumn":2,"endLine":3,"endColumn":9}}}],
              "partialFingerprints":{"primaryLocationLineHash":"fp","secretHash/v1":"hash"}}]}]}
            """);
        var finding = Assert.Single(ReportFindings.Read(path).Findings);
        Assert.Equal(("SS1", "src/a b.txt", 3, 2, 3, 9, "hash", "fp", "ab***"),
            (finding.RuleId, finding.Path, finding.Line, finding.Column, finding.EndLine, finding.EndColumn, finding.SecretHash, finding.Fingerprint, finding.ShownSecret));
    }

    [Theory]
    [InlineData("--regex-timeout", "2147483647", "--regex-timeout")]
    [InlineData("--config", "cfg.yaml", "regex_timeout_ms")]
    public void A_regex_timeout_Regex_rejects_is_a_usage_error(string flag, string value, string named)
    {
        // Found with the `config` target: such a timeout reached new Regex(...) and was reported as an invalid regex
        // in the first built-in rule (or, with no rules, thrown as an unhandled ArgumentOutOfRangeException).
        using var folder = new TempFolder();
        folder.Write("a.txt", "nothing here\n");
        folder.Write("cfg.yaml", "regex_timeout_ms: 0\n");
        var result = CliProcess.Run(folder.Path, "scan", ".", flag, value, "--no-progress");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.StdErr, StringComparison.Ordinal);
    }
}

