// The gitleaks config import: every construct of a .gitleaks.toml, RE2 translation, and what it reports it cannot use.
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Rules.Yaml;
using SecretScan.Rules.Yaml.Gitleaks;

namespace SecretScan.Rules.Tests;

public class GitleaksImportTests
{
    private static Random Rng => Random.Shared;

    /// <summary>A fresh random value (letters and digits), so no committed text looks like a credential.</summary>
    private static string Fake(int length) =>
        new(Enumerable.Range(0, length).Select(_ => "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"[Rng.Next(57)]).ToArray());

    /// <summary>Scans fragments with the import as the CLI uses it: its rules, engine allowlists and markers, then its suppressions.</summary>
    private static IReadOnlyList<Finding> Scan(GitleaksImport import, params (string Path, string Text, string? Commit)[] files)
    {
        var config = import.ToScanConfig(allowComments: true);
        var rules = RuleSet.Create(config.Rules, new RuleSetOptions { GlobalAllowlist = config.Allow, InlineAllowMarkers = config.InlineAllowMarkers });
        var scanner = new Scanner(rules);
        var findings = files.SelectMany(f => scanner.Scan(new TextFragment(f.Text, f.Path, commit: f.Commit)).Findings).ToArray();
        return config.Suppress(findings);
    }

    private static IReadOnlyList<Finding> Scan(GitleaksImport import, string path, string text) => Scan(import, (path, text, null));

    [Fact]
    public void Loads_every_rule_field()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", """
            title = "custom"

            [[rules]]
            id = "acme-api-key"
            description = "ACME API key"
            regex = '''(?i)acme[_-]?key\s*=\s*"(acme_[a-z0-9]{20})"'''
            secretGroup = 1
            entropy = 3.25
            keywords = ["ACME_KEY", "acme-key"]
            tags = ["acme", "api"]
            path = '''\.env$'''
            """);
        Assert.Empty(import.Warnings);
        var r = Assert.Single(import.Rules);
        Assert.Equal(("GL:acme-api-key", "acme-api-key", "ACME API key"), (r.Id, r.Name, r.Title));
        Assert.Equal(1, r.SecretGroup);
        Assert.Equal(3.25, r.MinEntropy);
        Assert.Equal(new[] { "acme_key", "acme-key" }, r.Keywords);
        Assert.Equal(new[] { "acme", "api", "gitleaks" }, r.Tags);
        Assert.Equal(0, r.KeywordWindow);
        Assert.Equal(("g.toml", 3), (r.Source, r.SourceLine));
        Assert.False(import.UseDefault);

        // `path` scopes the rule: the same line is a finding in .env files only.
        var secret = "acme_" + Fake(20).ToLowerInvariant();
        var line = $"ACME_KEY = \"{secret}\"\n";
        var found = Assert.Single(Scan(import, "deploy/prod.env", line));
        Assert.Equal(secret, found.Secret);
        Assert.Empty(Scan(import, "src/app.py", line));
    }

    [Fact]
    public void Rule_allowlists_new_and_legacy_forms()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", """
            [[rules]]
            id = "tok"
            regex = '''tok_([A-Za-z0-9]{24})'''
            keywords = ["tok_"]

            [rules.allowlist]
            stopwords = ["qqqq"]

            [[rules.allowlists]]
            description = "fixtures"
            paths = ['''(^|/)fixtures/''']

            [[rules.allowlists]]
            regexTarget = "match"
            regexes = ['''^tok_ZZ''']

            [[rules.allowlists]]
            regexTarget = "line"
            regexes = ['''//\s*fake''']

            [[rules.allowlists]]
            regexes = ['''^AA''']
            """);
        Assert.Empty(import.Warnings);
        var rule = Assert.Single(import.Rules);

        // OR lists: stopwords and match-target regexes run in the engine; the rest after the scan.
        Assert.Equal(new[] { "qqqq" }, rule.Allow.Stopwords);
        Assert.Equal(new[] { "^tok_ZZ" }, rule.Allow.Patterns);

        string Token(string prefix = "") => prefix + Fake(24 - prefix.Length);
        Assert.Single(Scan(import, "a.txt", $"x = tok_{Token()}"));
        Assert.Empty(Scan(import, "a.txt", $"x = tok_{Token("qqqq")}"));
        Assert.Empty(Scan(import, "test/fixtures/a.txt", $"x = tok_{Token()}"));
        Assert.Empty(Scan(import, "a.txt", $"x = tok_{Token("ZZ")}"));
        Assert.Empty(Scan(import, "a.txt", $"x = tok_{Token()} // fake"));
        Assert.Empty(Scan(import, "a.txt", $"x = tok_{Token("AA")}"));

        // The secret target sees the secret only: "AA" elsewhere on the line allows nothing.
        Assert.Single(Scan(import, "a.txt", $"AA = tok_{Token()}"));
    }

    [Fact]
    public void And_condition_needs_every_check_and_commits_match_the_finding_commit()
    {
        var commit = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant() + "0123abcd";
        var import = GitleaksConfigLoader.Parse("g.toml", $$"""
            [[rules]]
            id = "tok"
            regex = '''tok_([A-Za-z0-9]{24})'''

            [[rules.allowlists]]
            condition = "AND"
            paths = ['''^docs/''']
            stopwords = ["qqqq"]

            [[rules.allowlists]]
            commits = ["{{commit}}"]
            """);
        Assert.Empty(import.Warnings);
        var rule = Assert.Single(import.Rules);
        Assert.Empty(rule.Allow.Stopwords);
        var plain = $"tok_{Fake(24)}";
        var marked = $"tok_qqqq{Fake(20)}";
        Assert.Single(Scan(import, "docs/a.md", plain));
        Assert.Single(Scan(import, "src/a.md", marked));
        Assert.Empty(Scan(import, "docs/a.md", marked));
        Assert.Empty(Scan(import, ("src/a.md", plain, commit)));
        Assert.Single(Scan(import, ("src/a.md", plain, "f00d" + commit.Substring(4))));
    }

    [Fact]
    public void Global_allowlists_legacy_new_and_target_rules()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", """
            [[rules]]
            id = "one"
            regex = '''one_([A-Za-z0-9]{24})'''

            [[rules]]
            id = "two"
            regex = '''two_([A-Za-z0-9]{24})'''

            [allowlist]
            paths = ['''\.lock$''']
            stopwords = ["qqqq"]

            [[allowlists]]
            targetRules = ["two"]
            paths = ['''^vendor/''']

            [[allowlists]]
            targetRules = ["nope"]
            paths = ['''x''']
            """);
        var warning = Assert.Single(import.Warnings);
        Assert.Contains("targetRules names no imported or built-in rule: nope", warning);
        Assert.Equal(new[] { "qqqq" }, import.GlobalAllow.Stopwords);

        var one = $"one_{Fake(24)}";
        var two = $"two_{Fake(24)}";
        Assert.Empty(Scan(import, "package.lock", $"{one}\n{two}"));
        Assert.Empty(Scan(import, "a.txt", $"one_qqqq{Fake(20)}"));
        var kept = Assert.Single(Scan(import, "vendor/x.txt", $"{one}\n{two}"));
        Assert.Equal("GL:one", kept.RuleId);
    }

    [Fact]
    public void Extend_use_default_maps_to_the_built_in_pack_and_disabled_rules_to_its_names()
    {
        var builtIn = BuiltInRules.All.First(r => r.Name == "npm-access-token");
        var import = GitleaksConfigLoader.Parse("g.toml", """
            [extend]
            useDefault = true
            disabledRules = ["npm-access-token", "generic-api-key"]

            [[rules]]
            id = "github-pat-classic"
            [[rules.allowlists]]
            paths = ['''^samples/''']
            """);
        Assert.True(import.UseDefault);
        Assert.Empty(import.Rules);
        Assert.Equal(new[] { builtIn.Id }, import.DisabledBuiltIns);
        var warning = Assert.Single(import.Warnings);
        Assert.Contains("generic-api-key is not a SecretScan rule", warning);
        Assert.Contains("g.toml:1:", warning);

        var config = import.ToScanConfig(allowComments: true);
        Assert.True(config.UseDefaultRules);
        Assert.Equal(new[] { builtIn.Id }, config.Disable);

        // The id-only rule adds its allowlist to the built-in rule of that name.
        var github = BuiltInRules.All.First(r => r.Name == "github-pat-classic");
        var suppression = Assert.Single(config.Suppressions);
        Finding At(string path) => new()
        {
            Rule = github, Path = path, Line = 1, Column = 1, EndLine = 1, EndColumn = 2, Secret = "s", Redacted = "*", SecretHash = "h", Fingerprint = "f",
        };
        Assert.True(suppression.Suppresses(At("samples/a.txt")));
        Assert.False(suppression.Suppresses(At("src/a.txt")));
    }

    [Fact]
    public void Extend_path_merges_the_base_config_as_gitleaks_does()
    {
        var dir = Directory.CreateTempSubdirectory("secretscan-gitleaks-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "base.toml"), """
                [[rules]]
                id = "alpha"
                description = "base alpha"
                regex = '''alpha_([A-Za-z0-9]{24})'''
                tags = ["base"]

                [[rules]]
                id = "beta"
                regex = '''beta_([A-Za-z0-9]{24})'''

                [[allowlists]]
                paths = ['''^generated/''']
                """);
            var main = Path.Combine(dir.FullName, ".gitleaks.toml");
            File.WriteAllText(main, """
                [extend]
                path = "base.toml"
                disabledRules = ["beta"]

                [[rules]]
                id = "alpha"
                description = "alpha, tuned"
                tags = ["tuned"]
                [[rules.allowlists]]
                stopwords = ["qqqq"]

                [[rules]]
                id = "gamma"
                regex = '''gamma_([A-Za-z0-9]{24})'''
                """);
            var import = GitleaksConfigLoader.LoadFile(main);
            Assert.Empty(import.Warnings);
            Assert.Equal(new[] { main, Path.Combine(dir.FullName, "base.toml") }, import.Files);
            Assert.Equal(new[] { "alpha", "gamma" }, import.Rules.Select(r => r.Name));
            var alpha = import.Rules[0];
            Assert.Equal("alpha, tuned", alpha.Title);
            Assert.Equal(new[] { "base", "tuned", "gitleaks" }, alpha.Tags);
            Assert.Equal(new[] { "qqqq" }, alpha.Allow.Stopwords);
            Assert.Empty(Scan(import, "generated/a.txt", $"alpha_{Fake(24)}"));
            Assert.Single(Scan(import, "src/a.txt", $"alpha_{Fake(24)}"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(@"(?P<key>ab)", @"(?<key>ab)")]
    [InlineData(@"ab$", @"ab\z")]
    [InlineData(@"(?m)ab$", @"(?m)ab$")]
    [InlineData(@"ab\z", @"ab\z")]
    [InlineData(@"\Qa.b*c\E+", @"a\.b\*c+")]
    [InlineData(@"[[:alpha:][:digit:]_]", @"[A-Za-z0-9_]")]
    [InlineData(@"[[:^digit:]]", @"[\u0000-\u002F\u003A-\uFFFF]")]
    [InlineData(@"\pL\PN\p{Lu}\p{^Nd}", @"\p{L}\P{N}\p{Lu}\P{Nd}")]
    [InlineData(@"\d\w\s", @"[0-9][0-9A-Za-z_][\t\n\f\r ]")]
    [InlineData(@"[\d.]", @"[0-9.]")]
    [InlineData(@"\x{41}\x42\101", @"\u0041\u0042\u0041")]
    [InlineData(@"(?U)a+b*?", @"a+?b*")]
    [InlineData(@"(?i)key(?-i)X", @"(?i)key(?-i)X")]
    [InlineData(@"(?i:a|b)", @"(?i:a|b)")]
    [InlineData(@"a{2,5}b{,3}", @"a{2,5}b\{,3}")]
    [InlineData(@"[a-z-[x]]", @"[a-z\-\[x]]")]
    public void Translates_re2_syntax(string re2, string expected) =>
        Assert.Equal(expected, Re2Translator.Translate(re2).Pattern);

    [Fact]
    public void Translated_patterns_match_as_re2_does()
    {
        // Go's '$' is the end of the text; .NET's unqualified '$' would also match before a final newline.
        Assert.DoesNotMatch(Re2Translator.Translate(@"key=v$").Pattern, "key=v\n");
        Assert.Matches(Re2Translator.Translate(@"key=v$").Pattern, "key=v");

        // RE2's \d is ASCII; .NET's would take Arabic-Indic digits.
        Assert.DoesNotMatch(Re2Translator.Translate(@"^\d+$").Pattern, "\u0663\u0664");

        // In .NET, "[a-z-[x]]" would be class subtraction.
        Assert.Matches(Re2Translator.Translate(@"^[a-z-[x]]$").Pattern, "-]");
    }

    [Fact]
    public void Secret_group_counts_named_groups_by_position_as_re2_does()
    {
        // .NET numbers the named group after (b); gitleaks' secretGroup = 2 means (b) by position... and 1 the named one.
        var import = GitleaksConfigLoader.Parse("g.toml", """
            [[rules]]
            id = "first"
            regex = '''(?P<pre>pre_[a-z]{4})_(post_[A-Za-z0-9]{24})'''
            secretGroup = 2

            [[rules]]
            id = "named"
            regex = '''(?P<pre>name_[a-z]{4})_(post_[A-Za-z0-9]{24})'''
            secretGroup = 1
            """);
        var post = "post_" + Fake(24);
        Assert.Equal(post, Assert.Single(Scan(import, "a.txt", $"pre_abcd_{post}")).Secret);
        Assert.Equal("name_abcd", Assert.Single(Scan(import, "a.txt", $"name_abcd_{post}")).Secret);
    }

    [Fact]
    public void Without_secret_group_the_first_group_that_captured_is_the_secret()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", """
            [[rules]]
            id = "either"
            regex = '''one_([a-z0-9]{24})|TWO_([A-Z0-9]{24})'''
            """);
        Assert.Empty(import.Warnings);
        Assert.Equal(Rule.FirstMatchedGroup, Assert.Single(import.Rules).SecretGroup);
        var one = Fake(24).ToLowerInvariant();
        var two = Fake(24).ToUpperInvariant();
        Assert.Equal(new[] { one, two }, Scan(import, "a.txt", $"a = one_{one}\nb = TWO_{two}\n").Select(f => f.Secret));
    }

    [Fact]
    public void Untranslatable_rules_are_reported_by_id_and_the_rest_load()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", """
            [[rules]]
            id = "greek"
            regex = '''\p{Greek}+_([a-z]{8})'''

            [[rules]]
            id = "bytes"
            regex = '''\C{4}'''

            [[rules]]
            id = "backref"
            regex = '''(a)\1'''

            [[rules]]
            id = "no-group"
            regex = '''nogroup_([a-z]{8})'''
            secretGroup = 3

            [[rules]]
            id = "p12-file"
            path = '''\.p12$'''

            [[rules]]
            id = "good"
            regex = '''good_([A-Za-z0-9]{24})'''
            """);
        Assert.Equal(new[] { "good" }, import.Rules.Select(r => r.Name));
        Assert.Equal(5, import.Warnings.Count);
        Assert.Contains(import.Warnings, w => w.StartsWith("g.toml:1: rule greek:", StringComparison.Ordinal) && w.Contains(@"\p{Greek}", StringComparison.Ordinal));
        Assert.Contains(import.Warnings, w => w.StartsWith("g.toml:5: rule bytes:", StringComparison.Ordinal) && w.Contains(@"\C", StringComparison.Ordinal));
        Assert.Contains(import.Warnings, w => w.StartsWith("g.toml:9: rule backref:", StringComparison.Ordinal) && w.Contains("backreference", StringComparison.Ordinal));
        Assert.Contains(import.Warnings, w => w.StartsWith("g.toml:13: rule no-group:", StringComparison.Ordinal) && w.Contains("secretGroup 3", StringComparison.Ordinal));
        Assert.Contains(import.Warnings, w => w.StartsWith("g.toml:18: rule p12-file:", StringComparison.Ordinal) && w.Contains("path-only", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[[rules]]\nid = \"x\"\nregex = '''abc\n", 3)]
    [InlineData("title = \"t\"\n[extend]\nuseDefault = tru\n", 3)]
    [InlineData("[[rules]]\nid = \"x\"\n[[rules]\n", 3)]
    public void Toml_syntax_errors_name_file_and_line(string toml, int line)
    {
        var e = Assert.Throws<ConfigException>(() => GitleaksConfigLoader.Parse("cfg/.gitleaks.toml", toml));
        Assert.StartsWith($"cfg/.gitleaks.toml:{line}: invalid TOML: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Wrong_value_types_and_bad_conditions_are_errors_with_the_line()
    {
        var e = Assert.Throws<ConfigException>(() => GitleaksConfigLoader.Parse("g.toml", "\n[[rules]]\nid = \"x\"\nregex = 5\n"));
        Assert.StartsWith("g.toml:2: rule x: regex must be a string", e.Message);
        e = Assert.Throws<ConfigException>(() => GitleaksConfigLoader.Parse("g.toml", "[allowlist]\ncondition = \"XOR\"\npaths = ['a']\n"));
        Assert.StartsWith("g.toml:1: [allowlist]: condition must be OR or AND", e.Message);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_unknown_keys_are_warned_about()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", """
            [[rules]]
            ID = "tok"
            Regex = '''(x)tok_([A-Za-z0-9]{24})'''
            secretgroup = 2
            colour = "blue"
            [rules.allowList]
            stopWords = ["qqqq"]
            """);
        var rule = Assert.Single(import.Rules);
        Assert.Equal(2, rule.SecretGroup);
        Assert.Equal(new[] { "qqqq" }, rule.Allow.Stopwords);
        Assert.Contains("unknown key 'colour'", Assert.Single(import.Warnings));
    }

    [Fact]
    public void Gitleaks_allow_comments_are_honoured_when_configured()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", "[[rules]]\nid = \"tok\"\nregex = '''tok_([A-Za-z0-9]{24})'''\n");
        var text = $"a = tok_{Fake(24)} # gitleaks:allow\nb = tok_{Fake(24)}\n";
        Assert.Equal(2, Assert.Single(Scan(import, "a.txt", text)).Line);

        var off = import.ToScanConfig(allowComments: false);
        Assert.Empty(off.InlineAllowMarkers);
        var scanner = new Scanner(RuleSet.Create(off.Rules, new RuleSetOptions { InlineAllowMarkers = off.InlineAllowMarkers }));
        Assert.Equal(2, scanner.Scan(new TextFragment(text, "a.txt")).Findings.Count);
    }

    [Fact]
    public void Imported_names_that_clash_with_other_rules_get_a_prefix()
    {
        var import = GitleaksConfigLoader.Parse("g.toml", "[[rules]]\nid = \"jwt\"\nregex = '''jwt_([A-Za-z0-9]{24})'''\n");
        var all = GitleaksConfigLoader.WithUniqueNames(BuiltInRules.All.Concat(import.Rules)).ToList();
        Assert.Equal("gitleaks-jwt", all.Single(r => r.Id == "GL:jwt").Name);
        RuleSet.Create(all);
    }

    [Fact]
    public void Secretscan_yaml_gitleaks_key()
    {
        Assert.Equal(GitleaksSettings.Auto, ScanConfigLoader.Parse("c.yaml", "gitleaks: auto\n").Gitleaks);
        Assert.False(ScanConfigLoader.Parse("c.yaml", "gitleaks: off\n").Gitleaks!.Enabled);
        var custom = ScanConfigLoader.Parse("c.yaml", "gitleaks:\n  config: ci/gitleaks.toml\n  allow_comments: false\n").Gitleaks!;
        Assert.Equal(("ci/gitleaks.toml", false), (custom.Config, custom.AllowComments));
        Assert.Equal(Path.GetFullPath("/repo/ci/gitleaks.toml"), custom.Resolve("/repo"));
        var e = Assert.Throws<ConfigException>(() => ScanConfigLoader.Parse("c.yaml", "gitleaks:\n  file: x\n"));
        Assert.StartsWith("c.yaml:2: unknown gitleaks key 'file'", e.Message);

        // Precedence: a higher config's `gitleaks: off` wins over a lower `auto`.
        var merged = ScanConfigLoader.Parse("a.yaml", "gitleaks: auto\n").Merge(ScanConfigLoader.Parse("b.yaml", "gitleaks: off\n"));
        Assert.Null(merged.Gitleaks!.Resolve("/repo"));
    }
}
