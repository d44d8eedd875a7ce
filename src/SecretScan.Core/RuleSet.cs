// A rule set made ready to run: regexes built (or taken precompiled), validators resolved, allowlists compiled, keywords indexed.
using System.Text.RegularExpressions;
using SecretScan.Core.Validation;

namespace SecretScan.Core;

/// <summary>A rule that cannot be used: bad regex, unknown validator, bad secret group. The message names the rule and its source.</summary>
public sealed class RuleException : Exception
{
    public RuleException(Rule rule, string message)
        : base(Describe(rule) + ": " + message)
    {
        Rule = rule;
    }

    public Rule Rule { get; }

    /// <summary>
    /// Why a regex does not parse, without the pattern: .NET quotes it whole ("Invalid pattern '...' at offset 6"), and
    /// a pattern may hold a secret (an allowlist entry for one known token), which must not reach an error message.
    /// </summary>
    public static string RegexProblem(ArgumentException e, string pattern) =>
        pattern.Length == 0 ? e.Message : e.Message.Replace("'" + pattern + "' ", "").Replace(pattern, "(pattern not shown)");

    private static string Describe(Rule rule) =>
        rule.SourceLine > 0 ? $"{rule.Source}:{rule.SourceLine}: rule {rule.Id} ({rule.Name})" :
        rule.Source != "built-in" ? $"{rule.Source}: rule {rule.Id} ({rule.Name})" : $"rule {rule.Id} ({rule.Name})";
}

public sealed record RuleSetOptions
{
    /// <summary>Applied to every rule on top of its own allowlist.</summary>
    public Allowlist GlobalAllowlist { get; init; } = Allowlist.Empty;

    /// <summary>Match timeout for every regex; a timeout is a warning for that file and rule.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Upgrade a rule's regex to RegexOptions.Compiled once it has scanned <see cref="CompileAfterChars"/> characters (4 M).
    /// Compiling costs 25-40 ms per rule (measured on this project's rules), more than a small scan spends matching, so
    /// every rule starts interpreted and only the rules that do real work get compiled, on a background thread.
    /// </summary>
    public bool CompileRegexes { get; init; } = true;

    public long CompileAfterChars { get; init; } = 4L << 20;

    /// <summary>
    /// Compile an allow pattern (rule or global) once matching it interpreted has taken this long in total, about what
    /// compiling it costs: the few patterns that are both slow and hot (SS1904's 60-word name check, 40 µs a call
    /// interpreted) get compiled, cheap or rarely used ones never (see AllowPattern). Ignored when
    /// <see cref="CompileRegexes"/> is off.
    /// </summary>
    public TimeSpan CompileAllowPatternsAfter { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Skip values that look like placeholders (EXAMPLE, xxxx, ${VAR}...).</summary>
    public bool SkipPlaceholders { get; init; } = true;

    /// <summary>
    /// Markers that suppress findings on their line besides <see cref="Scanner.InlineAllowMarker"/>, which always does:
    /// a repository migrated from gitleaks keeps its `gitleaks:allow` comments working when its config says so.
    /// </summary>
    public IReadOnlyList<string> InlineAllowMarkers { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Findings kept per file (or git blob fragment); more are counted and reported as one warning. 0 means no limit.
    /// </summary>
    public int MaxFindingsPerFile { get; init; } = DefaultMaxFindingsPerFile;

    public const int DefaultMaxFindingsPerFile = 10_000;

    /// <summary>Measure time spent in each rule's regex (see <see cref="CompiledRule.Elapsed"/>); for `scan --profile-rules`.</summary>
    public bool MeasureRules { get; init; }
}

public sealed class CompiledRule
{
    private readonly RuleSetOptions options;
    private Regex regex;
    private long scannedChars;
    private int upgrading;

    internal CompiledRule(Rule rule, int index, RuleSetOptions options)
    {
        Rule = rule;
        Index = index;
        this.options = options;
        if (string.IsNullOrEmpty(rule.Pattern))
        {
            throw new RuleException(rule, "pattern is empty");
        }

        // An empty keyword would match everywhere, and the keyword index indexes keywords by their first character.
        if (rule.Keywords.Any(string.IsNullOrEmpty))
        {
            throw new RuleException(rule, "a keyword is empty");
        }

        // Interpreted first: cheap to build, so a bad rule fails before the scan and a small scan pays no compilation.
        try
        {
            regex = new Regex(rule.Pattern, RegexOptions.CultureInvariant, options.RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new RuleException(rule, "invalid regex: " + RuleException.RegexProblem(e, rule.Pattern));
        }

        SecretGroup = ResolveSecretGroup(rule, regex);
        if (rule.Checksum is { Length: > 0 } checksum)
        {
            Validator = Validators.Find(checksum) ?? throw new RuleException(rule, $"unknown checksum validator '{checksum}' (known: {string.Join(", ", Validators.Ids)})");
        }

        if (rule.Candidates is { Length: > 0 } candidates)
        {
            CandidateFinder = CandidateFinders.Find(candidates) ?? throw new RuleException(rule, $"unknown candidate finder '{candidates}' (known: {string.Join(", ", CandidateFinders.Ids)})");
        }

        AllowPatterns = CompilePatterns(rule, rule.Allow.Patterns, options);
        AllowPaths = rule.Allow.Paths.Select(p => new PathGlob(p)).ToArray();
        Stopwords = rule.Allow.Stopwords.ToArray();
    }

    public Rule Rule { get; }

    public int Index { get; }

    public Regex Regex => Volatile.Read(ref regex);

    public int SecretGroup { get; }

    public ISecretValidator? Validator { get; }

    /// <summary>The candidate finder of a keyword-less rule (<see cref="Rule.Candidates"/>); null when it has none.</summary>
    public ICandidateFinder? CandidateFinder { get; }

    internal AllowPattern[] AllowPatterns { get; }

    internal PathGlob[] AllowPaths { get; }

    internal string[] Stopwords { get; }

    /// <summary>Time spent matching this rule's regex, when <see cref="RuleSetOptions.MeasureRules"/> is on.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks((long)(Interlocked.Read(ref elapsedTimestamp) * TickFrequencyRatio));

    /// <summary>Fragments and characters this rule's regex ran over.</summary>
    public long Runs => Interlocked.Read(ref runs);

    public long ScannedChars => Interlocked.Read(ref scannedChars);

    private static readonly double TickFrequencyRatio = (double)TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency;
    private long elapsedTimestamp;
    private long runs;

    internal void RecordTime(long stopwatchTicks) => Interlocked.Add(ref elapsedTimestamp, stopwatchTicks);

    /// <summary>Counts the text this rule's regex ran over and, past the threshold, compiles it in the background.</summary>
    internal void RecordScan(int chars)
    {
        Interlocked.Increment(ref runs);
        // Rules without keywords run over every byte, so they are worth compiling from their first fragment; unless a
        // candidate finder limits them to a few spans, where the interpreter is cheaper than compiling.
        var threshold = Rule.Keywords.Count == 0 && CandidateFinder is null ? 0 : options.CompileAfterChars;
        if (Interlocked.Add(ref scannedChars, chars) < threshold || !options.CompileRegexes || Volatile.Read(ref upgrading) != 0 ||
            Interlocked.Exchange(ref upgrading, 1) != 0)
        {
            return;
        }

        Task.Run(() =>
        {
            var compiled = new Regex(Rule.Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, options.RegexTimeout);

            // The emitted code is JIT-compiled on its first match: pay that here, not on a scanning thread.
            compiled.IsMatch(string.Empty);
            Volatile.Write(ref regex, compiled);
        });
    }

    /// <summary>Set after too many timeouts, so a runaway user regex stops costing a second per file.</summary>
    internal int Timeouts;

    internal static AllowPattern[] CompilePatterns(Rule? rule, IReadOnlyList<string> patterns, RuleSetOptions options) =>
        patterns.Select(p =>
        {
            try
            {
                return new AllowPattern(p, options.RegexTimeout, options.CompileRegexes ? options.CompileAllowPatternsAfter : null);
            }
            catch (ArgumentException e)
            {
                if (rule is null)
                {
                    throw new ArgumentException($"invalid allowlist regex: {RuleException.RegexProblem(e, p)}", e);
                }

                throw new RuleException(rule, $"invalid allowlist regex: {RuleException.RegexProblem(e, p)}");
            }
        }).ToArray();

    private static int ResolveSecretGroup(Rule rule, Regex probe)
    {
        var named = probe.GroupNumberFromName("secret");
        if (named >= 0 && rule.SecretGroup == 0)
        {
            return named;
        }

        var groups = probe.GetGroupNumbers();
        if (rule.SecretGroup == Rule.FirstMatchedGroup && groups.Length > 1)
        {
            return Rule.FirstMatchedGroup;
        }

        if (rule.SecretGroup < 0 || !groups.Contains(rule.SecretGroup))
        {
            throw new RuleException(rule, $"secret_group {rule.SecretGroup} does not exist in the pattern (it has {groups.Length - 1} groups)");
        }

        return rule.SecretGroup;
    }
}

public sealed class RuleSet
{
    private RuleSet(IReadOnlyList<CompiledRule> rules, RuleSetOptions options)
    {
        Rules = rules;
        Options = options;
        Keywords = new KeywordIndex(rules.Select(r => r.Rule.Keywords).ToArray(), rules.Select(r => r.Rule.KeywordWindow).ToArray());
        GlobalAllowPatterns = CompiledRule.CompilePatterns(null, options.GlobalAllowlist.Patterns, options);
        GlobalAllowPaths = options.GlobalAllowlist.Paths.Select(p => new PathGlob(p)).ToArray();
        GlobalStopwords = options.GlobalAllowlist.Stopwords.ToArray();
    }

    public IReadOnlyList<CompiledRule> Rules { get; }

    public RuleSetOptions Options { get; }

    internal KeywordIndex Keywords { get; }

    internal AllowPattern[] GlobalAllowPatterns { get; }

    internal PathGlob[] GlobalAllowPaths { get; }

    internal string[] GlobalStopwords { get; }

    /// <summary>Builds a rule set; throws <see cref="RuleException"/> naming the first bad rule, or on duplicate ids or names.</summary>
    public static RuleSet Create(IEnumerable<Rule> rules, RuleSetOptions? options = null)
    {
        options ??= new RuleSetOptions();
        var list = new List<CompiledRule>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            if (string.IsNullOrWhiteSpace(rule.Id))
            {
                throw new RuleException(rule, "id is missing");
            }

            if (!ids.Add(rule.Id))
            {
                throw new RuleException(rule, "duplicate rule id");
            }

            if (!string.IsNullOrEmpty(rule.Name) && !names.Add(rule.Name))
            {
                throw new RuleException(rule, "duplicate rule name");
            }

            list.Add(new CompiledRule(rule, list.Count, options));
        }

        return new RuleSet(list, options);
    }

    /// <summary>True when the path is allowlisted for every rule (so the file need not be read at all).</summary>
    public bool IsPathAllowed(string path) => GlobalAllowPaths.Any(g => g.IsMatch(path));
}
