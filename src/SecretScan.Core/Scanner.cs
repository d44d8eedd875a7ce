// The engine: runs a rule set over text fragments and returns findings and warnings. Never prints, never exits.
using System.Text;
using System.Text.RegularExpressions;

namespace SecretScan.Core;

/// <summary>Text to scan and where it came from.</summary>
public readonly struct TextFragment
{
    public TextFragment(string text, string path, int firstLine = 1, string? commit = null)
    {
        Text = text;
        Path = path;
        FirstLine = firstLine;
        Commit = commit;
    }

    public string Text { get; }

    /// <summary>Path relative to the scan root ('/' separators); used for path allowlists and fingerprints.</summary>
    public string Path { get; }

    /// <summary>Line number of the text's first line in its file (a diff hunk or a window starts later than 1).</summary>
    public int FirstLine { get; }

    public string? Commit { get; }

    /// <summary>Characters of the first line that come before the text (a window that starts mid-line): added to its columns.</summary>
    public int FirstColumnOffset { get; init; }
}

public sealed class ScanResult
{
    public List<Finding> Findings { get; } = new();

    public List<ScanWarning> Warnings { get; } = new();
}

public sealed class Scanner
{
    /// <summary>The comment marker that suppresses findings on its line.</summary>
    public const string InlineAllowMarker = "secretscan:allow";

    private const int MaxTimeoutsPerRule = 5;
    private const int MaxSnippetLength = 160;

    public Scanner(RuleSet rules)
    {
        Rules = rules;
    }

    public RuleSet Rules { get; }

    /// <summary>Scans one fragment. Thread-safe: one scanner serves all threads.</summary>
    public ScanResult Scan(TextFragment fragment)
    {
        var result = new ScanResult();
        Scan(fragment, result);
        return result;
    }

    public void Scan(TextFragment fragment, ScanResult result)
    {
        var budget = new FindingBudget(result, Rules.Options.MaxFindingsPerFile);
        Scan(fragment, result, 0, int.MaxValue, budget);
        budget.Report(fragment.Path);
    }

    /// <summary>
    /// Scans a reader too large to hold whole, in windows of <paramref name="windowChars"/> that overlap by
    /// <paramref name="overlapChars"/>: a secret shorter than the overlap is found exactly once.
    /// </summary>
    public void Scan(TextReader reader, string path, ScanResult result, string? commit = null, int windowChars = 8 << 20, int overlapChars = 64 << 10)
    {
        if (overlapChars <= 0 || windowChars <= overlapChars * 2)
        {
            throw new ArgumentOutOfRangeException(nameof(windowChars), "the window must be more than twice the overlap");
        }

        var buffer = new char[windowChars];
        var filled = 0;
        var firstLine = 1;
        var budget = new FindingBudget(result, Rules.Options.MaxFindingsPerFile);
        var firstFinding = result.Findings.Count;
        var columnOffset = 0;
        while (true)
        {
            var read = reader.ReadBlock(buffer, filled, windowChars - filled);
            filled += read;
            var last = read == 0 || filled < windowChars;
            var text = new string(buffer, 0, filled);

            // Accept matches starting before the overlap tail; the next window starts at the tail and owns the rest.
            // The tail starts at a line when the window's second half has a line break: the next window then begins at
            // column 1 (its columns are right), and a finding's snippet, which never leaves its line, cannot show a
            // secret that only the next window finds (found by fuzzing). A line longer than that falls back to a cut
            // mid-line: the next window's first line then carries a column offset, and MaskAcrossWindows covers the
            // snippets.
            var acceptBefore = int.MaxValue;
            if (!last)
            {
                acceptBefore = filled - overlapChars;
                var lineBreak = Array.LastIndexOf(buffer, '\n', acceptBefore - 1, acceptBefore - (windowChars / 2));
                if (lineBreak >= 0)
                {
                    acceptBefore = lineBreak + 1;
                }
            }

            Scan(new TextFragment(text, path, firstLine, commit) { FirstColumnOffset = columnOffset }, result, 0, acceptBefore, budget);
            if (last)
            {
                MaskAcrossWindows(result.Findings, firstFinding);
                budget.Report(path);
                return;
            }

            var lastBreak = Array.LastIndexOf(buffer, '\n', acceptBefore - 1, acceptBefore);
            columnOffset = lastBreak >= 0 ? acceptBefore - lastBreak - 1 : columnOffset + acceptBefore;

            var keep = filled - acceptBefore;
            for (var i = 0; i < acceptBefore; i++)
            {
                if (buffer[i] == '\n')
                {
                    firstLine++;
                }
            }

            Array.Copy(buffer, acceptBefore, buffer, 0, keep);
            filled = keep;
        }
    }

    private void Scan(TextFragment fragment, ScanResult result, int acceptFrom, int acceptBefore, FindingBudget budget)
    {
        var text = fragment.Text;
        if (text.Length == 0 || Rules.IsPathAllowed(fragment.Path))
        {
            return;
        }

        var state = PerThread ??= new ThreadState(Rules.Rules.Count) { Owner = Rules };
        var active = state.Active;
        if (Rules.Keywords.FindCandidates(text, active, state.Windows) == 0)
        {
            return;
        }

        List<Candidate>? candidates = null;
        foreach (var rule in Rules.Rules)
        {
            if (!active[rule.Index] || Volatile.Read(ref rule.Timeouts) >= MaxTimeoutsPerRule || IsPathAllowed(rule, fragment.Path))
            {
                continue;
            }

            var started = Rules.Options.MeasureRules ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            try
            {
                // Near the keywords only, unless the windows cover most of the text anyway.
                var windows = state.Windows.Of(rule.Index);
                var covered = 0L;
                if (windows is { } w)
                {
                    for (var i = 0; i < w.Starts.Count; i++)
                    {
                        covered += w.Ends[i] - w.Starts[i];
                    }
                }

                if (windows is null && rule.CandidateFinder is { } finder)
                {
                    var spanStarts = state.SpanStarts;
                    var spanEnds = state.SpanEnds;
                    spanStarts.Clear();
                    spanEnds.Clear();
                    finder.FindWindows(text, spanStarts, spanEnds);
                    for (var i = 0; i < spanStarts.Count; i++)
                    {
                        covered += spanEnds[i] - spanStarts[i];
                    }

                    rule.RecordScan((int)covered);
                    for (var i = 0; i < spanStarts.Count; i++)
                    {
                        MatchRange(rule, text, spanStarts[i], spanEnds[i] - spanStarts[i], acceptFrom, acceptBefore, ref candidates);
                    }
                }
                else if (windows is { } win && covered < text.Length / 2)
                {
                    rule.RecordScan((int)covered);
                    for (var i = 0; i < win.Starts.Count; i++)
                    {
                        MatchRange(rule, text, win.Starts[i], win.Ends[i] - win.Starts[i], acceptFrom, acceptBefore, ref candidates);
                    }
                }
                else
                {
                    rule.RecordScan(text.Length);
                    MatchRange(rule, text, 0, text.Length, acceptFrom, acceptBefore, ref candidates);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                var count = Interlocked.Increment(ref rule.Timeouts);
                var message = count >= MaxTimeoutsPerRule
                    ? $"regex of rule {rule.Rule.Id} timed out after {Rules.Options.RegexTimeout.TotalMilliseconds:0} ms ({count} times); the rule is disabled for the rest of this scan"
                    : $"regex of rule {rule.Rule.Id} timed out after {Rules.Options.RegexTimeout.TotalMilliseconds:0} ms; findings of this rule in this file may be missing";
                result.Warnings.Add(new ScanWarning(ScanWarningKind.RegexTimeout, fragment.Path, message, rule.Rule.Id));
            }
            finally
            {
                if (started != 0)
                {
                    rule.RecordTime(System.Diagnostics.Stopwatch.GetTimestamp() - started);
                }
            }
        }

        if (candidates is null)
        {
            return;
        }

        var lines = new LineMap(text);
        var kept = ResolveOverlaps(candidates).ToArray();
        var copies = SecretsByPrefix(kept.Select(c => text.Substring(c.Start, c.Length)));
        for (var k = 0; k < kept.Length; k++)
        {
            var c = kept[k];
            var (line, column) = lines.Locate(c.Start);
            var (endLine, endColumn) = lines.Locate(c.Start + c.Length);
            if (IsInlineAllowed(lines, line) || (endLine != line && IsInlineAllowed(lines, endLine)))
            {
                continue;
            }

            if (!budget.TryTake())
            {
                continue;
            }

            var secret = text.Substring(c.Start, c.Length);
            var redacted = SecretIdentity.Redact(secret);
            var hash = SecretIdentity.HashSecret(secret);
            result.Findings.Add(new Finding
            {
                Rule = c.Rule.Rule,
                Path = fragment.Path,
                Line = fragment.FirstLine + line,
                Column = column + 1 + (line == 0 ? fragment.FirstColumnOffset : 0),
                EndLine = fragment.FirstLine + endLine,
                EndColumn = endColumn + 1 + (endLine == 0 ? fragment.FirstColumnOffset : 0),
                Secret = secret,
                Redacted = redacted,
                SecretHash = hash,
                Fingerprint = SecretIdentity.Fingerprint(c.Rule.Rule.Id, hash, fragment.Path),
                Snippet = Snippet(text, lines, line, line == endLine ? c.Start + c.Length : lines.End(line), redacted, kept, k, copies),
                Commit = fragment.Commit,
                Validation = c.State,
                Entropy = Math.Round(c.Entropy, 3),
            });
        }
    }

    private static Group FirstMatched(Match m)
    {
        for (var g = 1; g < m.Groups.Count; g++)
        {
            if (m.Groups[g] is { Success: true, Length: > 0 } group)
            {
                return group;
            }
        }

        return m;
    }

    private bool IsInlineAllowed(LineMap lines, int line)
    {
        if (lines.Contains(line, InlineAllowMarker))
        {
            return true;
        }

        foreach (var marker in Rules.Options.InlineAllowMarkers)
        {
            if (marker.Length > 0 && lines.Contains(line, marker))
            {
                return true;
            }
        }

        return false;
    }

    private void MatchRange(CompiledRule rule, string text, int start, int length, int acceptFrom, int acceptBefore, ref List<Candidate>? candidates)
    {
        for (var m = rule.Regex.Match(text, start, length); m.Success; m = m.NextMatch())
        {
            var group = rule.SecretGroup >= 0 ? m.Groups[rule.SecretGroup] : FirstMatched(m);
            if (!group.Success || group.Length == 0 || group.Index < acceptFrom || group.Index >= acceptBefore)
            {
                continue;
            }

            if (Accept(rule, group.Value, m.Value, out var entropy, out var validation))
            {
                (candidates ??= new List<Candidate>()).Add(new Candidate(rule, group.Index, group.Length, entropy, validation));
            }
        }
    }

    /// <summary>The per-secret filters, in order of cost: placeholders, stopwords, entropy, allow regexes, checksum.</summary>
    private bool Accept(CompiledRule rule, string secret, string match, out double entropy, out ValidationState state)
    {
        entropy = 0;
        state = ValidationState.Unverified;
        // A checksum already proves a value is not a placeholder, and marker words occur in valid values by chance
        // ("example" is a BIP39 word; a long PEM body holds "xxxx" about once in 700), so those get the cheap test only.
        if (Rules.Options.SkipPlaceholders && (rule.Validator is null ? Placeholders.IsPlaceholder(secret) : Placeholders.IsDegenerate(secret)))
        {
            return false;
        }

        if (ContainsAny(secret, rule.Stopwords) || ContainsAny(secret, Rules.GlobalStopwords))
        {
            return false;
        }

        entropy = Entropy.Shannon(secret);
        if (entropy < rule.Rule.MinEntropy)
        {
            return false;
        }

        if (MatchesAny(rule.AllowPatterns, secret, match) || MatchesAny(Rules.GlobalAllowPatterns, secret, match))
        {
            return false;
        }

        if (rule.Validator is { } validator)
        {
            if (!validator.IsValid(secret))
            {
                return false;
            }

            state = ValidationState.ChecksumValid;
        }

        return true;
    }

    private static bool IsPathAllowed(CompiledRule rule, string path)
    {
        foreach (var glob in rule.AllowPaths)
        {
            if (glob.IsMatch(path))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAny(string value, string[] words)
    {
        foreach (var w in words)
        {
            if (value.IndexOf(w, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAny(AllowPattern[] patterns, string secret, string match)
    {
        foreach (var p in patterns)
        {
            if (p.IsMatch(secret) || (match.Length != secret.Length && p.IsMatch(match)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One finding per secret: where spans overlap, the more specific rule wins (confidence, then severity, then length).</summary>
    private static IEnumerable<Candidate> ResolveOverlaps(List<Candidate> candidates)
    {
        if (candidates.Count == 1)
        {
            return candidates;
        }

        var ordered = candidates
            .OrderByDescending(c => c.Rule.Rule.Confidence)
            .ThenByDescending(c => c.State)
            .ThenByDescending(c => c.Rule.Rule.Severity)
            .ThenByDescending(c => c.Length)
            .ThenBy(c => c.Rule.Index);
        var kept = new List<Candidate>();
        if (candidates.Count <= 32)
        {
            foreach (var c in ordered)
            {
                if (!kept.Any(k => c.Start < k.Start + k.Length && k.Start < c.Start + c.Length))
                {
                    kept.Add(c);
                }
            }

            return kept.OrderBy(c => c.Start).ThenBy(c => c.Rule.Index);
        }

        // Many candidates (a file that is a list of tokens): mark the characters kept spans hold rather than compare
        // each candidate with every kept span, which was quadratic (1,000,000 tokens in one file took 13 minutes).
        var min = candidates.Min(c => c.Start);
        var taken = new System.Collections.BitArray(candidates.Max(c => c.Start + c.Length) - min);
        foreach (var c in ordered)
        {
            var free = true;
            for (var i = c.Start - min; free && i < c.Start - min + c.Length; i++)
            {
                free = !taken[i];
            }

            if (free)
            {
                for (var i = c.Start - min; i < c.Start - min + c.Length; i++)
                {
                    taken[i] = true;
                }

                kept.Add(c);
            }
        }

        return kept.OrderBy(c => c.Start).ThenBy(c => c.Rule.Index);
    }

    /// <summary>
    /// The secret's line with the secret redacted; on long lines only a window around the secret, so cost does not grow
    /// with the line. Every other secret found in that window is masked too: a line with two secrets (`A=... B=...` in an
    /// .env file) must not show one in full in the other's snippet (found by fuzzing, see FuzzRegressionTests).
    /// </summary>
    private static string Snippet(string text, LineMap lines, int line, int secretEnd, string redacted, Candidate[] found, int own, Dictionary<string, List<string>> copies)
    {
        var secretStart = found[own].Start;
        var lineStart = lines.Start(line);
        var lineEnd = lines.End(line);
        var from = Math.Max(lineStart, secretStart - 60);
        var to = Math.Min(lineEnd, secretEnd + 60);

        // The findings on this line. `found` is in text order and its spans never overlap, so their ends are in order
        // too: walk out from this finding rather than over every finding of the file.
        var first = own;
        while (first > 0 && found[first - 1].Start + found[first - 1].Length > lineStart)
        {
            first--;
        }

        var last = own;
        while (last + 1 < found.Length && found[last + 1].Start < lineEnd)
        {
            last++;
        }

        var sb = new StringBuilder();
        if (from > lineStart)
        {
            sb.Append('…');
        }

        var at = from;
        for (var i = first; i <= last; i++)
        {
            var start = found[i].Start;
            var end = i == own ? secretEnd : start + found[i].Length;
            if (end <= from || start >= to || (i != own && start == end))
            {
                continue;
            }

            var inside = start >= from && end <= to;
            start = Math.Max(start, Math.Max(from, at));
            end = Math.Max(start, Math.Min(end, to));
            sb.Append(text, at, start - at).Append(i == own ? redacted : inside ? SecretIdentity.Redact(text.Substring(start, end - start)) : "*****");
            at = end;
        }

        sb.Append(text, at, to - at);
        if (to < lineEnd)
        {
            sb.Append('…');
        }

        // A secret found anywhere in the fragment can occur again outside any match (the same token where the rule's
        // boundaries failed, on this line or another; found by fuzzing): mask those copies as well.
        var s = MaskCopies(sb.ToString(), copies);
        s = s.Trim();
        return s.Length > MaxSnippetLength ? s.Substring(0, MaxSnippetLength) + "…" : s;
    }

    /// <summary>Copies of found secrets shorter than this are not looked for in snippets (they occur by chance).</summary>
    /// <summary>
    /// Masks, in the snippets of one file's findings (from <paramref name="from"/> on), every secret another window of
    /// that file found: a window cut mid-line shows text the next window owns.
    /// </summary>
    private static void MaskAcrossWindows(IList<Finding> findings, int from)
    {
        if (findings.Count - from < 2)
        {
            return;
        }

        var byPrefix = SecretsByPrefix(findings.Skip(from).Select(f => f.Secret));
        for (var i = from; i < findings.Count; i++)
        {
            var snippet = MaskCopies(findings[i].Snippet, byPrefix);
            if (!ReferenceEquals(snippet, findings[i].Snippet))
            {
                findings[i] = findings[i] with { Snippet = snippet };
            }
        }
    }

    private const int CopyPrefix = 8;

    /// <summary>The distinct secrets given, by their first <see cref="CopyPrefix"/> characters (shorter ones are left out).</summary>
    private static Dictionary<string, List<string>> SecretsByPrefix(IEnumerable<string> secrets)
    {
        var byPrefix = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (secret.Length < CopyPrefix)
            {
                continue;
            }

            var prefix = secret.Substring(0, CopyPrefix);
            if (!byPrefix.TryGetValue(prefix, out var list))
            {
                byPrefix[prefix] = list = new List<string>();
            }

            if (!list.Contains(secret))
            {
                list.Add(secret);
            }
        }

        return byPrefix;
    }

    /// <summary>
    /// <paramref name="s"/> with every copy of a secret in <paramref name="byPrefix"/> redacted. Looked up by prefix, so
    /// the cost does not grow with the number of secrets; longest first, so a secret that contains another is masked whole.
    /// </summary>
    private static string MaskCopies(string s, Dictionary<string, List<string>> byPrefix)
    {
        List<string>? seen = null;
        for (var p = 0; p + CopyPrefix <= s.Length; p++)
        {
            if (byPrefix.TryGetValue(s.Substring(p, CopyPrefix), out var secrets))
            {
                foreach (var secret in secrets)
                {
                    if (p + secret.Length <= s.Length && string.CompareOrdinal(s, p, secret, 0, secret.Length) == 0)
                    {
                        (seen ??= new List<string>()).Add(secret);
                    }
                }
            }
        }

        if (seen is not null)
        {
            foreach (var secret in seen.Distinct().OrderByDescending(x => x.Length))
            {
                s = s.Replace(secret, SecretIdentity.Redact(secret));
            }
        }

        return s;
    }

    /// <summary>Buffers reused by one thread across fragments: the prefilter's marks and keyword windows.</summary>
    [ThreadStatic]
    private static ThreadState? perThread;

    private ThreadState? PerThread
    {
        get => perThread is { } t && t.Owner == Rules ? t : null;
        set => perThread = value;
    }

    /// <summary>
    /// Caps the findings kept for one file (<see cref="RuleSetOptions.MaxFindingsPerFile"/>): a hostile or dumped file
    /// with a million matches would otherwise hold a million findings and snippets in memory. What is dropped is counted
    /// and reported as one warning, never silently lost.
    /// </summary>
    private sealed class FindingBudget(ScanResult result, int limit)
    {
        private int kept;
        private long dropped;

        public bool TryTake()
        {
            if (limit > 0 && kept >= limit)
            {
                dropped++;
                return false;
            }

            kept++;
            return true;
        }

        public void Report(string path)
        {
            if (dropped > 0)
            {
                result.Warnings.Add(new ScanWarning(ScanWarningKind.Skipped, path,
                    string.Format(System.Globalization.CultureInfo.InvariantCulture,
                        "{0:N0} more findings not reported: the file has more than {1:N0} (raise it with --max-findings-per-file, 0 = no limit)",
                        dropped, limit)));
            }
        }
    }

    private sealed class ThreadState
    {
        public ThreadState(int ruleCount)
        {
            Active = new bool[ruleCount];
            Windows = new KeywordWindows(ruleCount);
        }

        public RuleSet? Owner { get; set; }

        public bool[] Active { get; }

        public KeywordWindows Windows { get; }

        /// <summary>Spans a candidate finder named (reused across rules and fragments of this thread).</summary>
        public List<int> SpanStarts { get; } = new();

        public List<int> SpanEnds { get; } = new();
    }

    private readonly struct Candidate
    {
        public Candidate(CompiledRule rule, int start, int length, double entropy, ValidationState state)
        {
            Rule = rule;
            Start = start;
            Length = length;
            Entropy = entropy;
            State = state;
        }

        public CompiledRule Rule { get; }

        public int Start { get; }

        public int Length { get; }

        public double Entropy { get; }

        public ValidationState State { get; }
    }

    /// <summary>Line starts of a text, built only when a fragment has a finding.</summary>
    private sealed class LineMap
    {
        private readonly string text;
        private readonly List<int> starts = new() { 0 };

        public LineMap(string text)
        {
            this.text = text;
            for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
            {
                starts.Add(i + 1);
            }
        }

        /// <summary>0-based line and column of an offset.</summary>
        public (int Line, int Column) Locate(int offset)
        {
            var i = starts.BinarySearch(offset);
            var line = i >= 0 ? i : ~i - 1;
            return (line, offset - starts[line]);
        }

        public int Start(int line) => starts[line];

        /// <summary>Offset of the line's end, before its '\n' (and '\r').</summary>
        public int End(int line)
        {
            var end = line + 1 < starts.Count ? starts[line + 1] - 1 : text.Length;
            return end > starts[line] && text[end - 1] == '\r' ? end - 1 : end;
        }

        public bool Contains(int line, string marker) =>
            text.IndexOf(marker, starts[line], End(line) - starts[line], StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
