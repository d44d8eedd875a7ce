// Rule and config files: what loads, and that every mistake is reported with its file and line.
using SecretScan.Core;
using SecretScan.Rules.Yaml;

namespace SecretScan.Rules.Tests;

public class LoaderTests
{
    [Fact]
    public void Loads_every_field_and_expands_macros()
    {
        var rules = RuleFileLoader.Parse("r.yaml", """
            rules:
              - id: ACME001
                name: acme-token
                title: ACME token
                severity: critical
                confidence: low
                keywords: [acme_]
                pattern: 'acme{{assign}}(acme_[a-z]{8})'
                secret_group: 1
                min_entropy: 2.5
                checksum: jwt-structure
                allow: { patterns: ['^acme_test'], paths: ['docs/**'], stopwords: [dummy] }
                environment: test
                revoke: github
                tags: [acme]
                help: Rotate it.
                references: [https://acme.invalid/docs]
                examples: ['acme = acme_abcdefgh']
                negative_examples: ['acme = nothing']
            """);
        var r = Assert.Single(rules);
        Assert.Equal(("ACME001", "acme-token", Severity.Critical, Confidence.Low), (r.Id, r.Name, r.Severity, r.Confidence));
        Assert.Equal(PatternMacros.Expand("acme{{assign}}(acme_[a-z]{8})"), r.Pattern);
        Assert.DoesNotContain("{{", r.Pattern);
        Assert.Equal(2.5, r.MinEntropy);
        Assert.Equal(new[] { "docs/**" }, r.Allow.Paths);
        Assert.Equal("test", r.Environment);
        Assert.Equal(2, r.SourceLine);
    }

    [Theory]
    [InlineData("rules:\n  - id: A1\n    patern: 'x'\n", 3, "unknown rule field 'patern'")]
    [InlineData("rules:\n  - id: A1\n    pattern: 'x'\n    severity: urgent\n", 4, "severity must be one of")]
    [InlineData("rules:\n  - id: A1\n    pattern: [x\n", 4, "invalid YAML")]
    [InlineData("rules:\n  - name: no-id\n    pattern: 'x'\n", 2, "rule has no id")]
    [InlineData("rulez: []\n", 1, "unknown top-level key 'rulez'")]
    public void Rule_file_errors_name_file_and_line(string yaml, int line, string message)
    {
        var e = Assert.Throws<ConfigException>(() => RuleFileLoader.Parse("custom.yaml", yaml));
        Assert.StartsWith($"custom.yaml:{line}: ", e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Config_loads_and_merges_with_precedence()
    {
        var atRoot = ScanConfigLoader.Parse(".secretscan.yaml", "disable: [SS1001]\nallow:\n  paths: ['a/**']\nmax_file_size: 10MB\n");
        var explicitConfig = ScanConfigLoader.Parse("ci.yaml", "disable: [generic-password]\nmax_file_size: 2MB\nregex_timeout_ms: 250\n");
        var merged = atRoot.Merge(explicitConfig);
        Assert.Equal(new[] { "SS1001", "generic-password" }, merged.Disable);
        Assert.Equal(2L << 20, merged.MaxFileSize);
        Assert.Equal(TimeSpan.FromMilliseconds(250), merged.RegexTimeout);
        Assert.Equal(new[] { "a/**" }, merged.Allow.Paths);
    }

    [Theory]
    [InlineData("disable: SS1\nmax_file_size: huge\n", 2, "max_file_size must be a size")]
    [InlineData("allow:\n  path: ['x']\n", 2, "unknown allow field 'path'")]
    [InlineData("colour: red\n", 1, "unknown config key 'colour'")]
    public void Config_errors_name_file_and_line(string yaml, int line, string message)
    {
        var e = Assert.Throws<ConfigException>(() => ScanConfigLoader.Parse(".secretscan.yaml", yaml));
        Assert.StartsWith($".secretscan.yaml:{line}: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Invalid_regex_in_a_user_rule_is_named_with_file_and_line()
    {
        var rules = RuleFileLoader.Parse("custom.yaml", "rules:\n  - id: BAD1\n    name: bad\n    pattern: '([a-z'\n");
        var e = Assert.Throws<RuleException>(() => RuleSet.Create(rules));
        Assert.StartsWith("custom.yaml:2: rule BAD1 (bad): invalid regex", e.Message);
    }
}
