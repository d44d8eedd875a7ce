// Inputs the fuzz harness (tests/SecretScan.Fuzz, targets `rules` and `config`) found crashing the loaders: each must
// now end in ConfigException, the error the CLI prints as one line with exit code 2.
using System.Text;
using SecretScan.Core;
using SecretScan.Rules.Yaml;

namespace SecretScan.Rules.Tests;

public class FuzzRegressionTests
{
    /// <summary>Malformed YAML on which YamlDotNet throws InvalidOperationException or ArgumentException, not YamlException.</summary>
    public static TheoryData<byte[]> MalformedYaml => new()
    {
        Encoding.UTF8.GetBytes("... ."),                                                       // "The scanner should contain no more tokens."
        Encoding.UTF8.GetBytes("!!str]l:\nes"),                                                // "Global tags must be valid URIs."
        new byte[] { 0x3f, 0x0a, 0x7b, 0x00, 0x0a, 0x1a, 0x00, 0x7d },                       // "Operation is not valid due to the current state"
        new byte[] { 0x00, 0x3a, 0x00, 0x00, 0xda, 0x3f, 0x3a, 0xb0, 0xf8, 0xda, 0x3f },     // "The current event is of an unsupported type."
    };

    [Theory]
    [MemberData(nameof(MalformedYaml))]
    public void Malformed_yaml_is_a_config_error_in_rule_files(byte[] input)
    {
        var e = Assert.Throws<ConfigException>(() => RuleFileLoader.Parse("r.yaml", Encoding.UTF8.GetString(input)));
        Assert.StartsWith("r.yaml", e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MalformedYaml))]
    public void Malformed_yaml_is_a_config_error_in_configs(byte[] input)
    {
        Assert.Throws<ConfigException>(() => ScanConfigLoader.Parse(".secretscan.yaml", Encoding.UTF8.GetString(input)));
    }

    [Fact]
    public void A_bad_global_allowlist_regex_is_a_config_error_with_its_line()
    {
        // Before: the config loaded, then RuleSet.Create threw a bare ArgumentException, which the CLI did not catch.
        var e = Assert.Throws<ConfigException>(() => ScanConfigLoader.Parse("c.yaml", "allow:\n  patterns: ['(']\n"));
        Assert.StartsWith("c.yaml:2:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_rule_allowlist_regex_is_a_config_error_with_its_line()
    {
        var e = Assert.Throws<ConfigException>(() => RuleFileLoader.Parse("r.yaml", "rules:\n  - id: FZ1001\n    pattern: 'x'\n    allow: { patterns: ['[a-'] }\n"));
        Assert.StartsWith("r.yaml:4:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("2147483647")]
    public void A_regex_timeout_that_Regex_rejects_is_a_config_error(string ms)
    {
        // Before: TimeSpan.FromMilliseconds(0) reached new Regex(...), which threw ArgumentOutOfRangeException at scan start.
        Assert.Throws<ConfigException>(() => ScanConfigLoader.Parse("c.yaml", $"regex_timeout_ms: {ms}\n"));
    }

    [Fact]
    public void The_largest_accepted_regex_timeout_builds_a_rule_set()
    {
        var config = ScanConfigLoader.Parse("c.yaml", "regex_timeout_ms: 2147483646\nallow:\n  patterns: ['x']\n");
        RuleSet.Create(Array.Empty<Rule>(), new RuleSetOptions { GlobalAllowlist = config.Allow, RegexTimeout = config.RegexTimeout!.Value });
    }

    [Theory]
    [InlineData("baseline: \"a\\0b\"\n")]
    [InlineData("revoke:\n  audit_log: \"audit\\0.log\"\n")]
    public void A_path_with_a_NUL_character_is_a_config_error(string yaml)
    {
        // Before: revoke.audit_log went through Path.GetFullPath, which threw ArgumentException ("Null character in path").
        Assert.Throws<ConfigException>(() => ScanConfigLoader.Parse("/tmp/c.yaml", yaml));
    }
}
