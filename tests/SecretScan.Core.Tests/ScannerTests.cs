// Engine behaviour: prefilter, filters, overlaps, inline allow, locations and windows, with small hand-made rules.
using SecretScan.Core;
using SecretScan.Core.Validation;

namespace SecretScan.Core.Tests;

public class ScannerTests
{
    private static readonly Rule TokenRule = new()
    {
        Id = "T0001",
        Name = "test-token",
        Title = "Test token",
        Confidence = Confidence.High,
        Keywords = new[] { "tok_" },
        Pattern = @"\b(tok_[A-Za-z0-9]{20})\b",
        SecretGroup = 1,
    };

    private static readonly Rule GenericRule = new()
    {
        Id = "T0002",
        Name = "test-generic",
        Title = "Generic",
        Confidence = Confidence.Low,
        Keywords = new[] { "secret" },
        Pattern = @"(?i)secret" + PatternMacros.Assign + @"([A-Za-z0-9_]{12,})" + PatternMacros.End,
        SecretGroup = 1,
        MinEntropy = 3.0,
    };

    private static Scanner NewScanner(params Rule[] rules) => new(RuleSet.Create(rules));

    [Fact]
    public void Bip39_candidate_finder_keeps_every_finding_of_the_bare_phrase_rule_and_skips_prose()
    {
        var rule = SecretScan.Core.Generated.BuiltInRules.All.Single(r => r.Name == "bip39-mnemonic-bare");
        Assert.Equal("bip39-words", rule.Candidates);
        var rng = new Random(11);
        var prose = "this sentence has many lowercase words in a row but they are mostly not from the wordlist at all\n";
        var parts = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            parts.Add(prose);
            parts.Add(ExampleTemplates.Expand(i % 3 == 0 ? "seed = \"{{bip39:12}}\"\n" : i % 3 == 1 ? "words: {{bip39:24}}\n" : "x: {{bip39-bad:12}}\n", rng));
        }

        var text = string.Concat(parts);
        var withFinder = new Scanner(RuleSet.Create(new[] { rule })).Scan(new TextFragment(text, "w.txt"));
        var without = new Scanner(RuleSet.Create(new[] { rule with { Candidates = null } })).Scan(new TextFragment(text, "w.txt"));
        Assert.Equal(27, withFinder.Findings.Count);
        Assert.Equal(without.Findings.Select(f => (f.Line, f.Column, f.Secret)), withFinder.Findings.Select(f => (f.Line, f.Column, f.Secret)));

        var starts = new List<int>();
        var ends = new List<int>();
        CandidateFinders.Find("bip39-words")!.FindWindows(string.Concat(Enumerable.Repeat(prose, 1000)), starts, ends);
        Assert.Empty(starts);

        var bad = Assert.Throws<RuleException>(() => RuleSet.Create(new[] { rule with { Candidates = "no-such" } }));
        Assert.Contains("unknown candidate finder", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_per_file_are_capped_and_the_rest_counted_in_one_warning()
    {
        var rng = new Random(5);
        string Token() => "tok_" + new string(Enumerable.Range(0, 20).Select(_ => (char)('a' + rng.Next(26))).ToArray());
        var text = string.Concat(Enumerable.Range(0, 30).Select(_ => $"key = {Token()}\n"));
        var scanner = new Scanner(RuleSet.Create(new[] { TokenRule }, new RuleSetOptions { MaxFindingsPerFile = 10 }));

        var result = scanner.Scan(new TextFragment(text, "dump.txt"));
        Assert.Equal(10, result.Findings.Count);
        Assert.Equal(Enumerable.Range(1, 10), result.Findings.Select(f => f.Line));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(ScanWarningKind.Skipped, warning.Kind);
        Assert.Equal("dump.txt", warning.Path);
        Assert.StartsWith("20 more findings not reported", warning.Message, StringComparison.Ordinal);

        // The streamed path (a file read in windows) shares one budget across its windows.
        var streamed = new ScanResult();
        scanner.Scan(new StringReader(text), "dump.txt", streamed, windowChars: 256, overlapChars: 64);
        Assert.Equal(10, streamed.Findings.Count);
        Assert.StartsWith("20 more findings not reported", Assert.Single(streamed.Warnings).Message, StringComparison.Ordinal);

        // The budget is per file: a second file starts afresh, and 0 means no limit.
        var both = new ScanResult();
        scanner.Scan(new TextFragment(text, "a.txt"), both);
        scanner.Scan(new TextFragment(text, "b.txt"), both);
        Assert.Equal(20, both.Findings.Count);
        var unlimited = new Scanner(RuleSet.Create(new[] { TokenRule }, new RuleSetOptions { MaxFindingsPerFile = 0 }));
        Assert.Equal(30, unlimited.Scan(new TextFragment(text, "dump.txt")).Findings.Count);
    }

    [Fact]
    public void Finds_token_with_location_and_redaction()
    {
        var text = "line one\n  key = \"tok_Ab3dEf6hIj9kLm2nOp5q\"\n";
        var result = NewScanner(TokenRule).Scan(new TextFragment(text, "a/b.txt"));
        var f = Assert.Single(result.Findings);
        Assert.Equal(2, f.Line);
        Assert.Equal(10, f.Column);
        Assert.Equal(2, f.EndLine);
        Assert.Equal(34, f.EndColumn);
        Assert.Equal("tok_Ab3dEf6hIj9kLm2nOp5q", f.Secret);
        Assert.DoesNotContain("Ab3dEf6hIj9kLm2nOp5q", f.Redacted);
        Assert.DoesNotContain("Ab3dEf6hIj9kLm2nOp5q", f.Snippet);
        Assert.Equal(SecretIdentity.Fingerprint("T0001", f.SecretHash, "a/b.txt"), f.Fingerprint);
    }

    [Fact]
    public void Rule_without_keyword_in_text_does_not_run()
    {
        var result = NewScanner(TokenRule).Scan(new TextFragment("TOK-Ab3dEf6hIj9kLm2nOp5q", "x"));
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Specific_rule_wins_over_generic_on_the_same_secret()
    {
        var text = "secret = tok_Ab3dEf6hIj9kLm2nOp5q";
        var result = NewScanner(GenericRule, TokenRule).Scan(new TextFragment(text, "x"));
        var f = Assert.Single(result.Findings);
        Assert.Equal("T0001", f.RuleId);
    }

    [Theory]
    [InlineData("secret = \"EXAMPLEKEYEXAMPLEKEY\"")]
    [InlineData("secret = \"your_secret_here_123\"")]
    [InlineData("secret = aaaaaaaaaaaaaaaaaaaa")]
    [InlineData("secret = abcabcabcabcab")] // entropy below 3.0
    [InlineData("secret = \"Q9fT2mLx8RwZ4kPb\" # secretscan:allow")]
    public void Placeholders_low_entropy_and_inline_allow_are_not_reported(string line)
    {
        Assert.Empty(NewScanner(GenericRule).Scan(new TextFragment(line, "x")).Findings);
    }

    [Fact]
    public void Global_allowlist_paths_stopwords_and_patterns_apply()
    {
        var options = new RuleSetOptions
        {
            GlobalAllowlist = new Allowlist { Paths = new[] { "fixtures/**" }, Stopwords = new[] { "fixture" }, Patterns = new[] { "^Q9" } },
        };
        var scanner = new Scanner(RuleSet.Create(new[] { GenericRule }, options));
        Assert.Empty(scanner.Scan(new TextFragment("secret = Zx81kLmN0pQrSt", "fixtures/deep/a.cs")).Findings);
        Assert.Empty(scanner.Scan(new TextFragment("secret = Zx81kFixtureQrSt", "src/a.cs")).Findings);
        Assert.Empty(scanner.Scan(new TextFragment("secret = Q9fT2mLx8RwZ4kPb", "src/a.cs")).Findings);
        Assert.Single(scanner.Scan(new TextFragment("secret = Zx81kLmN0pQrSt", "src/a.cs")).Findings);
    }

    [Fact]
    public void Invalid_regex_names_the_rule()
    {
        var bad = TokenRule with { Id = "T9", Name = "broken", Pattern = "(unclosed", Source = "custom.yaml", SourceLine = 7 };
        var e = Assert.Throws<RuleException>(() => RuleSet.Create(new[] { bad }));
        Assert.Contains("custom.yaml:7", e.Message);
        Assert.Contains("T9", e.Message);
    }

    [Fact]
    public void Catastrophic_regex_times_out_as_a_warning_not_a_crash()
    {
        var evil = new Rule { Id = "T66", Name = "evil", Keywords = new[] { "aaaa" }, Pattern = "(a+)+$" };
        var scanner = new Scanner(RuleSet.Create(new[] { evil, TokenRule }, new RuleSetOptions { RegexTimeout = TimeSpan.FromMilliseconds(50) }));
        var text = new string('a', 5000) + "!\ntok_Ab3dEf6hIj9kLm2nOp5q";
        var result = scanner.Scan(new TextFragment(text, "hostile.txt"));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(ScanWarningKind.RegexTimeout, warning.Kind);
        Assert.Equal("T66", warning.RuleId);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Windows_find_each_secret_once_with_right_lines()
    {
        var sb = new System.Text.StringBuilder();
        var expectedLines = new List<int>();
        for (var i = 1; i <= 3000; i++)
        {
            if (i % 97 == 0)
            {
                sb.Append("x = tok_Zq").Append(i.ToString("D6")).Append("Xw").Append((i * 7919 % 1000000).ToString("D6")).Append("Lm9a\n");
                expectedLines.Add(i);
            }
            else
            {
                sb.Append("filler line number ").Append(i).Append('\n');
            }
        }

        var text = sb.ToString();
        var scanner = NewScanner(TokenRule);
        var whole = scanner.Scan(new TextFragment(text, "big.txt"));
        var windowed = new ScanResult();
        scanner.Scan(new StringReader(text), "big.txt", windowed, windowChars: 4096, overlapChars: 256);
        Assert.Equal(expectedLines, whole.Findings.Select(f => f.Line));
        Assert.Equal(expectedLines, windowed.Findings.Select(f => f.Line));
    }
}
