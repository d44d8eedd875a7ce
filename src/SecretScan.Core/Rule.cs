// The rule model shared by built-in rules (compiled C#), user rules (YAML) and every front end.
namespace SecretScan.Core;

/// <summary>How bad a leak of this credential is; maps to SARIF security-severity.</summary>
public enum Severity
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}

/// <summary>How sure a match is a real secret: high when a prefix or checksum pins the format.</summary>
public enum Confidence
{
    Low = 0,
    Medium = 1,
    High = 2,
}

/// <summary>What is known about a finding beyond the pattern match.</summary>
public enum ValidationState
{
    Unverified = 0,
    ChecksumValid = 1,
    Active = 2,
    Inactive = 3,
    Revoked = 4,
}

/// <summary>Values, paths and words that make a match not a finding, for one rule or for the whole scan.</summary>
public sealed record Allowlist
{
    public static readonly Allowlist Empty = new();

    /// <summary>Regexes; a secret (or the matched text) that matches one is not reported.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = Array.Empty<string>();

    /// <summary>Path globs (`**`, `*`, `?`), matched against the path relative to the scan root with `/` separators.</summary>
    public IReadOnlyList<string> Paths { get; init; } = Array.Empty<string>();

    /// <summary>Case-insensitive substrings; a secret containing one is not reported.</summary>
    public IReadOnlyList<string> Stopwords { get; init; } = Array.Empty<string>();

    public bool IsEmpty => Patterns.Count == 0 && Paths.Count == 0 && Stopwords.Count == 0;
}

/// <summary>One detection rule, as written in rules/*.yaml (the schema is in DESIGN.md).</summary>
public sealed record Rule
{
    /// <summary>Stable opaque id (SS1001): Roslyn diagnostic id, SARIF ruleId, .editorconfig key. Never reused.</summary>
    public string Id { get; init; } = "";

    /// <summary>Kebab-case handle for people and config, unique like the id.</summary>
    public string Name { get; init; } = "";

    public string Title { get; init; } = "";

    public Severity Severity { get; init; } = Severity.High;

    public Confidence Confidence { get; init; } = Confidence.Medium;

    /// <summary>Literal, case-insensitive strings; the regex runs only on text where one occurs. Empty means always run.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = Array.Empty<string>();

    /// <summary>
    /// How far after a keyword (in characters) the regex looks; it also starts <see cref="KeywordWindowBefore"/> characters
    /// before it. 0 runs the regex over the whole text (for rules whose match reaches far from the keyword, such as
    /// PEM blocks). Windows are what keep "secret-named variable" rules cheap on large files full of the word "token".
    /// </summary>
    public int KeywordWindow { get; init; } = DefaultKeywordWindow;

    public const int DefaultKeywordWindow = 1024;

    public const int KeywordWindowBefore = 256;

    /// <summary>
    /// For rules without keywords: a candidate finder (see <see cref="Validation.CandidateFinders"/>, e.g. "bip39-words")
    /// that names the few spans where the secret can be; the regex runs only there. Null: the regex sees the whole text.
    /// </summary>
    public string? Candidates { get; init; }

    /// <summary>.NET regex; capture group <see cref="SecretGroup"/> (or a group named "secret") is the secret.</summary>
    public string Pattern { get; init; } = "";

    /// <summary>The capture group that holds the secret; 0 the whole match; <see cref="FirstMatchedGroup"/> the first group that captured text.</summary>
    public int SecretGroup { get; init; }

    /// <summary>
    /// For <see cref="SecretGroup"/>: the first group (by number) that captured something, else the whole match. This is
    /// what gitleaks does when a rule sets no secretGroup, and what `(a)|(b)` patterns need.
    /// </summary>
    public const int FirstMatchedGroup = -1;

    /// <summary>Minimum Shannon entropy, in bits per character, of the secret; 0 means no threshold.</summary>
    public double MinEntropy { get; init; }

    /// <summary>Id of a checksum validator (see <see cref="Validation.Validators"/>); a secret that fails it is not reported.</summary>
    public string? Checksum { get; init; }

    public Allowlist Allow { get; init; } = Allowlist.Empty;

    /// <summary>"prod" or "test"; test credentials are reported at lower severity by the rule itself.</summary>
    public string? Environment { get; init; }

    /// <summary>Id of a revoker that can revoke this credential at its provider.</summary>
    public string? Revoke { get; init; }

    /// <summary>Markdown: what leaked and how to rotate or revoke it.</summary>
    public string Help { get; init; } = "";

    public IReadOnlyList<string> References { get; init; } = Array.Empty<string>();

    /// <summary>Free tags (provider, category); "security" and "secret" are always added in reports.</summary>
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();

    /// <summary>Texts that must produce a finding for this rule. May hold {{generator}} templates (see ExampleTemplates).</summary>
    public IReadOnlyList<string> Examples { get; init; } = Array.Empty<string>();

    /// <summary>Texts that must not produce a finding for this rule.</summary>
    public IReadOnlyList<string> NegativeExamples { get; init; } = Array.Empty<string>();

    /// <summary>Where the rule came from: "built-in" or a config file path; used in error messages.</summary>
    public string Source { get; init; } = "built-in";

    /// <summary>Line of the rule in <see cref="Source"/>, when it came from a file.</summary>
    public int SourceLine { get; init; }

    public override string ToString() => $"{Id} ({Name})";
}
