// Reads a gitleaks TOML config (.gitleaks.toml) into SecretScan rules, allowlists and finding suppressions.
using System.Globalization;
using System.Text.RegularExpressions;
using SecretScan.Core;
using SecretScan.Core.Generated;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;
using Tomlyn.Syntax;

namespace SecretScan.Rules.Yaml.Gitleaks;

/// <summary>What a gitleaks config turned into, and what of it could not be used (as warnings naming file, line and rule).</summary>
public sealed record GitleaksImport
{
    /// <summary>The config and every config it extends through `[extend] path`.</summary>
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();

    public IReadOnlyList<Rule> Rules { get; init; } = Array.Empty<Rule>();

    /// <summary>`[extend] useDefault = true` somewhere in the chain: SecretScan's built-in rules stand in for gitleaks' defaults.</summary>
    public bool UseDefault { get; init; }

    /// <summary>Built-in rule ids named by `disabledRules`.</summary>
    public IReadOnlyList<string> DisabledBuiltIns { get; init; } = Array.Empty<string>();

    /// <summary>The parts of global allowlists the engine runs itself (stopwords, match-target regexes).</summary>
    public Allowlist GlobalAllow { get; init; } = Allowlist.Empty;

    /// <summary>The rest: path and commit allowlists, secret and line targets, AND conditions, rule path scopes.</summary>
    public IReadOnlyList<IFindingSuppression> Suppressions { get; init; } = Array.Empty<IFindingSuppression>();

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>
    /// The import as a config layer. <paramref name="allowComments"/> makes `gitleaks:allow` on a line suppress it, as
    /// gitleaks does. Use default rules follows `[extend] useDefault`: a gitleaks config without it replaces the defaults.
    /// </summary>
    public ScanConfig ToScanConfig(bool allowComments) => new()
    {
        Files = Files,
        Rules = Rules,
        Disable = DisabledBuiltIns,
        Allow = GlobalAllow,
        UseDefaultRules = UseDefault,
        Suppressions = Suppressions,
        InlineAllowMarkers = allowComments ? new[] { GitleaksConfigLoader.InlineAllowMarker } : Array.Empty<string>(),
    };
}

public static class GitleaksConfigLoader
{
    /// <summary>Imported rule ids are this prefix and the gitleaks id, so they never collide with SS ids; the name is the gitleaks id.</summary>
    public const string IdPrefix = "GL:";

    public const string InlineAllowMarker = "gitleaks:allow";

    /// <summary>How deep `[extend] path` may nest, as in gitleaks.</summary>
    private const int MaxExtendDepth = 2;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private static readonly string[] TopKeys = { "title", "description", "minVersion", "extend", "rules", "allowlist", "allowlists" };
    private static readonly string[] ExtendKeys = { "path", "url", "useDefault", "disabledRules" };
    private static readonly string[] RuleKeys = { "id", "description", "regex", "path", "secretGroup", "entropy", "keywords", "tags", "skipReport", "allowlist", "allowlists", "required" };
    private static readonly string[] AllowlistKeys = { "description", "condition", "commits", "paths", "regexTarget", "regexes", "stopwords", "targetRules" };

    public static GitleaksImport LoadFile(string file)
    {
        var full = Path.GetFullPath(file);
        return Build(Read(full, 0));
    }

    /// <summary>Parses config text; `[extend] path` is resolved relative to the folder of <paramref name="file"/>.</summary>
    public static GitleaksImport Parse(string file, string text) => Build(ParseText(file, text, 0));

    /// <summary>
    /// Gives imported rules whose name (the gitleaks id) is already taken by another rule the name "gitleaks-ID", so a
    /// gitleaks rule called `jwt` can run beside the built-in `jwt`.
    /// </summary>
    public static IEnumerable<Rule> WithUniqueNames(IEnumerable<Rule> rules)
    {
        var list = rules.ToList();
        var taken = new HashSet<string>(list.Where(r => !IsImported(r)).Select(r => r.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var rule in list)
        {
            if (!IsImported(rule))
            {
                yield return rule;
                continue;
            }

            var name = rule.Name;
            for (var n = 1; !taken.Add(name); n++)
            {
                name = n == 1 ? "gitleaks-" + rule.Name : $"gitleaks-{rule.Name}-{n}";
            }

            yield return name == rule.Name ? rule : rule with { Name = name };
        }
    }

    public static bool IsImported(Rule rule) => rule.Id.StartsWith(IdPrefix, StringComparison.Ordinal);

    private static ParsedConfig Read(string file, int depth)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(file, 0, "cannot read gitleaks config: " + e.Message);
        }

        return ParseText(file, text, depth);
    }

    private static ParsedConfig ParseText(string file, string text, int depth)
    {
        TomlTable table;
        try
        {
            // The syntax tree names the first error's line; the serializer would wrap it in a conversion message.
            var syntax = SyntaxParser.Parse(text, file, true);
            if (syntax.HasErrors)
            {
                var first = syntax.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
                throw new ConfigException(file, first.Span.Start.Line + 1, "invalid TOML: " + FirstLine(first.Message));
            }

            table = TomlSerializer.Deserialize(text, GitleaksTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new ConfigException(file, e.Line ?? 0, "invalid TOML: " + FirstLine(e.InnerException?.Message ?? e.Message));
        }
        catch (Exception e) when (e is not ConfigException and (InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException))
        {
            // A parser bug on hostile input must still be a one-line config error, not a crash.
            throw new ConfigException(file, 0, "invalid TOML: " + FirstLine(e.Message));
        }

        var config = new ParsedConfig(file, text);
        var warnings = config.Warnings;
        var top = new TomlReader(file, 0, warnings);
        top.CheckKeys(table, TopKeys, "the top level");

        if (top.Get(table, "extend") is { } extendValue)
        {
            var extend = top.Table(extendValue, "[extend]");
            var r = new TomlReader(file, config.Line(@"\[\s*extend\s*\]", 0), warnings);
            r.CheckKeys(extend, ExtendKeys, "[extend]");
            config.UseDefault = r.Bool(extend, "useDefault") ?? false;
            config.ExtendPath = r.String(extend, "path");
            config.Disabled = r.Strings(extend, "disabledRules");
            if (r.String(extend, "url") is { Length: > 0 })
            {
                r.Warn("[extend] url is not supported (gitleaks does not implement it either); ignored");
            }

            config.ExtendLine = r.Line;
        }

        var ruleIndex = 0;
        foreach (var ruleTable in top.Tables(table, "rules"))
        {
            var line = config.Line(@"\[\[\s*rules\s*\]\]", ruleIndex++);
            config.Rules.Add(ParseRule(file, line, ruleTable, config, warnings));
        }

        var listIndex = 0;
        if (top.Get(table, "allowlist") is { } legacy)
        {
            var line = config.Line(@"\[\s*allowlist\s*\]", 0);
            config.Allowlists.Add(ParseAllowlist(new TomlReader(file, line, warnings), top.Table(legacy, "[allowlist]"), "[allowlist]", global: true));
        }

        foreach (var list in top.Tables(table, "allowlists"))
        {
            var line = config.Line(@"\[\[\s*allowlists\s*\]\]", listIndex++);
            config.Allowlists.Add(ParseAllowlist(new TomlReader(file, line, warnings), list, "[[allowlists]]", global: true));
        }

        if (config.ExtendPath is { Length: > 0 } basePath && !config.UseDefault)
        {
            if (depth >= MaxExtendDepth)
            {
                warnings.Add($"{file}:{config.ExtendLine}: [extend] path {basePath}: configs extend at most {MaxExtendDepth} levels deep (as in gitleaks); not followed");
            }
            else
            {
                // Relative to the config's folder; gitleaks reads it relative to the working folder, which is tried second.
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", basePath));
                if (!File.Exists(resolved) && File.Exists(basePath))
                {
                    resolved = Path.GetFullPath(basePath);
                }

                if (!File.Exists(resolved))
                {
                    throw new ConfigException(file, config.ExtendLine, $"[extend] path: {basePath} not found (looked in {Path.GetDirectoryName(resolved)} and the working folder)");
                }

                config.Base = Read(resolved, depth + 1);
            }
        }
        else if (config.ExtendPath is { Length: > 0 } && config.UseDefault)
        {
            warnings.Add($"{file}:{config.ExtendLine}: [extend] has both useDefault and path; gitleaks uses only useDefault, and so does SecretScan");
        }

        return config;
    }

    private static ParsedRule ParseRule(string file, int line, TomlTable table, ParsedConfig config, List<string> warnings)
    {
        var r = new TomlReader(file, line, warnings);
        var id = r.String(table, "id") ?? "";
        r.Subject = id.Length > 0 ? $"rule {id}" : "rule";
        r.CheckKeys(table, RuleKeys, "a rule");
        var rule = new ParsedRule
        {
            File = file,
            Line = line,
            Id = id,
            Description = r.String(table, "description"),
            Regex = r.String(table, "regex"),
            Path = r.String(table, "path"),
            SecretGroup = r.Int(table, "secretGroup"),
            Entropy = r.Double(table, "entropy"),
            Keywords = r.Strings(table, "keywords"),
            Tags = r.Strings(table, "tags"),
            SkipReport = r.Bool(table, "skipReport") ?? false,
            IsComposite = r.Get(table, "required") is not null,
        };
        if (r.Get(table, "allowlist") is { } legacy)
        {
            rule.Allowlists.Add(ParseAllowlist(r, r.Table(legacy, "[rules.allowlist]"), "[rules.allowlist]", global: false));
        }

        foreach (var list in r.Tables(table, "allowlists"))
        {
            rule.Allowlists.Add(ParseAllowlist(r, list, "[[rules.allowlists]]", global: false));
        }

        return rule;
    }

    private static ParsedAllowlist ParseAllowlist(TomlReader r, TomlTable table, string what, bool global)
    {
        r.CheckKeys(table, global ? AllowlistKeys : AllowlistKeys.Where(k => k != "targetRules").ToArray(), what);
        var condition = (r.String(table, "condition") ?? "OR").Trim().ToUpperInvariant();
        var target = (r.String(table, "regexTarget") ?? "secret").Trim().ToLowerInvariant();
        var list = new ParsedAllowlist
        {
            File = r.File,
            Line = r.Line,
            What = what,
            RequireAll = condition is "AND" or "&&",
            Commits = r.Strings(table, "commits"),
            Paths = r.Strings(table, "paths"),
            Regexes = r.Strings(table, "regexes"),
            Stopwords = r.Strings(table, "stopwords"),
            TargetRules = r.Strings(table, "targetRules"),
            Target = target switch
            {
                "" or "secret" => RegexTarget.Secret,
                "match" => RegexTarget.Match,
                "line" => RegexTarget.Line,
                _ => throw new ConfigException(r.File, r.Line, $"{what}: regexTarget must be secret, match or line, not '{target}'"),
            },
        };
        if (condition is not ("AND" or "&&" or "OR" or "||"))
        {
            throw new ConfigException(r.File, r.Line, $"{what}: condition must be OR or AND, not '{condition}'");
        }

        return list;
    }

    /// <summary>Applies `[extend]` (gitleaks' merge rules), translates every rule and splits every allowlist.</summary>
    private static GitleaksImport Build(ParsedConfig root)
    {
        var warnings = new List<string>();
        var files = new List<string>();
        var (rules, allowlists, useDefault, disabled) = Merge(root, warnings, files);

        var builtInByName = new Dictionary<string, Rule>(StringComparer.OrdinalIgnoreCase);
        foreach (var b in BuiltInRules.All)
        {
            builtInByName.TryAdd(b.Name, b);
            builtInByName.TryAdd(b.Id, b);
        }

        var result = new List<Rule>();
        var suppressions = new List<IFindingSuppression>();
        var importedIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var where = $"{rule.File}:{rule.Line}: rule {rule.Id}";
            if (rule.Regex is null && rule.Path is null)
            {
                // A rule with only an id adds allowlists (or tweaks) to a rule of the config it extends.
                if (useDefault && builtInByName.TryGetValue(rule.Id, out var builtIn))
                {
                    var scope = new HashSet<string>(StringComparer.Ordinal) { builtIn.Id };
                    foreach (var list in rule.Allowlists)
                    {
                        suppressions.AddRange(Suppressions(list, scope, warnings, engine: null));
                    }

                    if (rule.Entropy is not null || rule.SecretGroup is not null || rule.Keywords.Count > 0)
                    {
                        warnings.Add($"{where}: only its allowlists apply to the built-in rule {builtIn.Id} ({builtIn.Name}); entropy, secretGroup and keywords are ignored");
                    }
                }
                else if (useDefault)
                {
                    warnings.Add($"{where}: has no regex and extends a gitleaks default rule; gitleaks' default rules are not imported (SecretScan's built-in rules replace them) and no built-in rule is named {rule.Id}; skipped");
                }
                else
                {
                    warnings.Add($"{where}: has neither regex nor path; skipped");
                }

                continue;
            }

            var translated = Translate(rule, warnings, suppressions);
            if (translated is not null)
            {
                result.Add(translated);
                importedIds[rule.Id] = translated.Id;
            }
        }

        var globalAllow = Allowlist.Empty;
        foreach (var list in allowlists)
        {
            IReadOnlySet<string>? scope = null;
            if (list.TargetRules.Count > 0)
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (var target in list.TargetRules)
                {
                    if (importedIds.TryGetValue(target, out var imported))
                    {
                        ids.Add(imported);
                    }
                    else if (builtInByName.TryGetValue(target, out var builtIn))
                    {
                        ids.Add(builtIn.Id);
                    }
                    else
                    {
                        warnings.Add($"{list.File}:{list.Line}: {list.What}: targetRules names no imported or built-in rule: {target}");
                    }
                }

                if (ids.Count == 0)
                {
                    continue;
                }

                scope = ids;
            }

            var engine = scope is null ? new EngineAllowlist() : null;
            suppressions.AddRange(Suppressions(list, scope, warnings, engine));
            if (engine is not null)
            {
                globalAllow = globalAllow with
                {
                    Patterns = globalAllow.Patterns.Concat(engine.Patterns).ToArray(),
                    Stopwords = globalAllow.Stopwords.Concat(engine.Stopwords).ToArray(),
                };
            }
        }

        var disabledBuiltIns = new List<string>();
        foreach (var (name, where) in disabled)
        {
            if (useDefault && builtInByName.TryGetValue(name, out var builtIn))
            {
                disabledBuiltIns.Add(builtIn.Id);
            }
            else if (useDefault)
            {
                warnings.Add($"{where}: disabledRules: {name} is not a SecretScan rule (gitleaks' default rules are not imported; SecretScan's built-in rules replace them): find its counterpart with `secretscan rules list` and add it to `disable:` in .secretscan.yaml");
            }
            else
            {
                warnings.Add($"{where}: disabledRules: {name} names no rule of the extended config; ignored");
            }
        }

        return new GitleaksImport
        {
            Files = files,
            Rules = result,
            UseDefault = useDefault,
            DisabledBuiltIns = disabledBuiltIns.Distinct(StringComparer.Ordinal).ToArray(),
            GlobalAllow = globalAllow,
            Suppressions = suppressions,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// gitleaks' extend: the base's rules come first, minus `disabledRules`; a rule of the same id here overrides the
    /// base's description, regex, path, entropy and secretGroup and adds its tags, keywords and allowlists.
    /// </summary>
    private static (List<ParsedRule> Rules, List<ParsedAllowlist> Allowlists, bool UseDefault, List<(string Name, string Where)> Disabled) Merge(
        ParsedConfig config, List<string> warnings, List<string> files)
    {
        files.Add(config.File);
        warnings.AddRange(config.Warnings);
        var own = new List<ParsedRule>();
        foreach (var rule in config.Rules)
        {
            if (rule.Id.Length == 0)
            {
                warnings.Add($"{rule.File}:{rule.Line}: rule has no id; skipped");
                continue;
            }

            var earlier = own.FindIndex(r => r.Id == rule.Id);
            if (earlier >= 0)
            {
                warnings.Add($"{rule.File}:{rule.Line}: rule {rule.Id} is defined twice; the later definition wins");
                own.RemoveAt(earlier);
            }

            own.Add(rule);
        }

        var disabled = config.Disabled.Select(d => (d, $"{config.File}:{config.ExtendLine}")).ToList();
        if (config.Base is null)
        {
            return (own, config.Allowlists.ToList(), config.UseDefault, disabled);
        }

        var (baseRules, baseLists, baseDefault, baseDisabled) = Merge(config.Base, warnings, files);
        var disabledHere = new HashSet<string>(config.Disabled, StringComparer.Ordinal);
        var merged = new List<ParsedRule>();
        foreach (var b in baseRules)
        {
            if (disabledHere.Remove(b.Id))
            {
                continue;
            }

            var over = own.Find(r => r.Id == b.Id);
            if (over is null)
            {
                merged.Add(b);
                continue;
            }

            own.Remove(over);
            var combined = b.Clone();
            combined.Description = over.Description ?? b.Description;
            combined.Regex = over.Regex ?? b.Regex;
            combined.Path = over.Path ?? b.Path;
            combined.Entropy = over.Entropy ?? b.Entropy;
            combined.SecretGroup = over.SecretGroup ?? b.SecretGroup;
            combined.Tags = b.Tags.Concat(over.Tags).ToArray();
            combined.Keywords = b.Keywords.Concat(over.Keywords).ToArray();
            combined.Allowlists.AddRange(over.Allowlists);
            merged.Add(combined);
        }

        merged.AddRange(own);

        // Names disabled here that the base does not have may still be default rules (when the base uses them).
        disabled = disabled.Where(d => disabledHere.Contains(d.Item1)).Concat(baseDisabled).ToList();
        return (merged, baseLists.Concat(config.Allowlists).ToList(), config.UseDefault || baseDefault, disabled);
    }

    private static Rule? Translate(ParsedRule rule, List<string> warnings, List<IFindingSuppression> suppressions)
    {
        var where = $"{rule.File}:{rule.Line}: rule {rule.Id}";
        if (rule.IsComposite)
        {
            warnings.Add($"{where}: composite rules ([[rules.required]]) are not supported; skipped");
            return null;
        }

        if (rule.SkipReport)
        {
            warnings.Add($"{where}: skipReport rules only feed composite rules, which are not supported; skipped");
            return null;
        }

        if (rule.Regex is null)
        {
            warnings.Add($"{where}: path-only rules (a finding for a file's name) are not supported; skipped");
            return null;
        }

        Re2Translation translation;
        Regex probe;
        try
        {
            translation = Re2Translator.Translate(rule.Regex);
            probe = new Regex(translation.Pattern, RegexOptions.CultureInvariant, Timeout);
        }
        catch (Re2TranslationException e)
        {
            warnings.Add($"{where}: regex cannot be translated to .NET: {e.Message}; skipped");
            return null;
        }
        catch (ArgumentException e)
        {
            warnings.Add($"{where}: translated regex does not compile in .NET: {e.Message}; skipped");
            return null;
        }

        var groups = translation.Groups;
        var wanted = rule.SecretGroup ?? 0;
        if (wanted < 0 || wanted > groups.Count)
        {
            warnings.Add($"{where}: secretGroup {wanted} does not exist (the regex has {groups.Count} groups); skipped");
            return null;
        }

        // Without secretGroup gitleaks takes the first group that captured something (`(a)|(b)` patterns rely on it).
        var secretGroup = wanted == 0 && groups.Count > 1 ? Rule.FirstMatchedGroup : NetGroupNumber(probe, groups, wanted == 0 && groups.Count == 1 ? 1 : wanted);

        var id = IdPrefix + rule.Id;
        Regex? pathScope = null;
        if (rule.Path is { } path)
        {
            pathScope = CompileOrWarn(path, $"{where}: path", warnings);
            if (pathScope is null)
            {
                return null;
            }
        }

        var scope = new HashSet<string>(StringComparer.Ordinal) { id };
        var engine = new EngineAllowlist();
        var ruleSuppressions = rule.Allowlists.SelectMany(list => Suppressions(list, scope, warnings, engine)).ToList();
        if (pathScope is not null)
        {
            ruleSuppressions.Add(new GitleaksPathScope(id, pathScope));
        }

        suppressions.AddRange(ruleSuppressions);
        var description = string.IsNullOrWhiteSpace(rule.Description) ? rule.Id : rule.Description.Trim();
        return new Rule
        {
            Id = id,
            Name = rule.Id,
            Title = description,
            Severity = Severity.High,
            Confidence = Confidence.Medium,
            Keywords = rule.Keywords.Where(k => k.Trim().Length > 0).Select(k => k.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray(),

            // gitleaks runs a rule on the whole fragment once a keyword occurs anywhere in it, not near the keyword.
            KeywordWindow = 0,
            Pattern = translation.Pattern,
            SecretGroup = secretGroup,
            MinEntropy = rule.Entropy ?? 0,
            Allow = new Allowlist { Patterns = engine.Patterns, Stopwords = engine.Stopwords },
            Help = $"{description}\n\nImported from the gitleaks config `{Path.GetFileName(rule.File)}` (rule `{rule.Id}`). Rotate the credential at its provider, then remove it from the code and its history.",
            Tags = rule.Tags.Append("gitleaks").Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
            Source = rule.File,
            SourceLine = rule.Line,
        };
    }

    /// <summary>RE2 numbers every group by position; .NET numbers named groups after the unnamed ones.</summary>
    private static int NetGroupNumber(Regex regex, IReadOnlyList<string?> groups, int re2Number)
    {
        if (re2Number == 0)
        {
            return 0;
        }

        var name = groups[re2Number - 1];
        return name is not null ? regex.GroupNumberFromName(name) : groups.Take(re2Number).Count(g => g is null);
    }

    /// <summary>
    /// Splits an allowlist: with OR, stopwords and match-target regexes go to the engine (<paramref name="engine"/>, when
    /// given) and the rest becomes one suppression; with AND everything stays together as a suppression.
    /// </summary>
    private static IEnumerable<IFindingSuppression> Suppressions(ParsedAllowlist list, IReadOnlySet<string>? scope, List<string> warnings, EngineAllowlist? engine)
    {
        var where = $"{list.File}:{list.Line}: {list.What}";
        if (list.Commits.Count + list.Paths.Count + list.Regexes.Count + list.Stopwords.Count == 0)
        {
            warnings.Add($"{where}: has no commits, paths, regexes or stopwords; ignored");
            yield break;
        }

        var paths = list.Paths.Select(p => (Text: p, Regex: CompileOrWarn(p, where + ": path", warnings))).ToList();
        var regexes = list.Regexes
            .Select(p => Translated(p, where + ": regex", warnings))
            .Select(t => (Text: t, Regex: t is null ? null : new Regex(t, RegexOptions.CultureInvariant, Timeout)))
            .ToList();
        if (list.RequireAll && (paths.Any(p => p.Regex is null) || regexes.Any(r => r.Regex is null)))
        {
            // Dropping one condition of an AND would make the allowlist hide more than its author meant.
            warnings.Add($"{where}: condition = AND with a regex that cannot be used; the whole allowlist is ignored");
            yield break;
        }

        var stopwords = list.Stopwords.Where(w => w.Length > 0).ToArray();
        var usable = regexes.Where(r => r.Regex is not null).ToList();
        if (!list.RequireAll && engine is not null)
        {
            engine.Stopwords.AddRange(stopwords);
            stopwords = Array.Empty<string>();
            if (list.Target == RegexTarget.Match)
            {
                engine.Patterns.AddRange(usable.Select(r => r.Text!));
                usable.Clear();
            }
        }

        var rest = new GitleaksAllowlist
        {
            Source = where,
            RuleIds = scope,
            RequireAll = list.RequireAll,
            Commits = list.Commits,
            Paths = paths.Where(p => p.Regex is not null).Select(p => p.Regex!).ToArray(),
            Target = list.Target,
            Regexes = usable.Select(r => r.Regex!).ToArray(),
            Stopwords = stopwords,
        };
        if (!rest.IsEmpty)
        {
            yield return rest;
        }
    }

    private static string? Translated(string re2, string where, List<string> warnings)
    {
        try
        {
            var pattern = Re2Translator.Translate(re2).Pattern;
            _ = new Regex(pattern, RegexOptions.CultureInvariant, Timeout);
            return pattern;
        }
        catch (Re2TranslationException e)
        {
            warnings.Add($"{where} '{re2}' cannot be translated to .NET: {e.Message}; ignored");
        }
        catch (ArgumentException e)
        {
            warnings.Add($"{where} '{re2}' does not compile in .NET: {e.Message}; ignored");
        }

        return null;
    }

    private static Regex? CompileOrWarn(string re2, string where, List<string> warnings) =>
        Translated(re2, where, warnings) is { } pattern ? new Regex(pattern, RegexOptions.CultureInvariant, Timeout) : null;

    private static string FirstLine(string message)
    {
        var cut = message.IndexOfAny(new[] { '\r', '\n' });
        return cut < 0 ? message : message.Substring(0, cut);
    }

    /// <summary>The parts of OR allowlists that go into the rule model, where the engine checks them before overlaps are resolved.</summary>
    private sealed class EngineAllowlist
    {
        public List<string> Patterns { get; } = new();

        public List<string> Stopwords { get; } = new();
    }

    private sealed class ParsedConfig
    {
        private readonly string[] lines;

        public ParsedConfig(string file, string text)
        {
            File = file;
            lines = text.Split('\n');
        }

        public string File { get; }

        public List<string> Warnings { get; } = new();

        public bool UseDefault { get; set; }

        public string? ExtendPath { get; set; }

        public int ExtendLine { get; set; }

        public IReadOnlyList<string> Disabled { get; set; } = Array.Empty<string>();

        public List<ParsedRule> Rules { get; } = new();

        public List<ParsedAllowlist> Allowlists { get; } = new();

        public ParsedConfig? Base { get; set; }

        /// <summary>1-based line of the n-th table header matching <paramref name="header"/>; 0 when not found (inline tables).</summary>
        public int Line(string header, int n)
        {
            var regex = new Regex("^\\s*" + header, RegexOptions.CultureInvariant);
            for (var k = 0; k < lines.Length; k++)
            {
                if (regex.IsMatch(lines[k]) && n-- == 0)
                {
                    return k + 1;
                }
            }

            return 0;
        }
    }

    private sealed class ParsedRule
    {
        public string File { get; init; } = "";

        public int Line { get; init; }

        public string Id { get; init; } = "";

        public string? Description { get; set; }

        public string? Regex { get; set; }

        public string? Path { get; set; }

        public int? SecretGroup { get; set; }

        public double? Entropy { get; set; }

        public IReadOnlyList<string> Keywords { get; set; } = Array.Empty<string>();

        public IReadOnlyList<string> Tags { get; set; } = Array.Empty<string>();

        public bool SkipReport { get; init; }

        public bool IsComposite { get; init; }

        public List<ParsedAllowlist> Allowlists { get; private init; } = new();

        public ParsedRule Clone() => new()
        {
            File = File,
            Line = Line,
            Id = Id,
            Description = Description,
            Regex = Regex,
            Path = Path,
            SecretGroup = SecretGroup,
            Entropy = Entropy,
            Keywords = Keywords,
            Tags = Tags,
            SkipReport = SkipReport,
            IsComposite = IsComposite,
            Allowlists = Allowlists.ToList(),
        };
    }

    private sealed class ParsedAllowlist
    {
        public string File { get; init; } = "";

        public int Line { get; init; }

        public string What { get; init; } = "";

        public bool RequireAll { get; init; }

        public RegexTarget Target { get; init; }

        public IReadOnlyList<string> Commits { get; init; } = Array.Empty<string>();

        public IReadOnlyList<string> Paths { get; init; } = Array.Empty<string>();

        public IReadOnlyList<string> Regexes { get; init; } = Array.Empty<string>();

        public IReadOnlyList<string> Stopwords { get; init; } = Array.Empty<string>();

        public IReadOnlyList<string> TargetRules { get; init; } = Array.Empty<string>();
    }

    /// <summary>Typed, case-insensitive reads from a TOML table (gitleaks reads its keys through viper, which ignores case).</summary>
    private sealed class TomlReader
    {
        private readonly List<string> warnings;

        public TomlReader(string file, int line, List<string> warnings)
        {
            File = file;
            Line = line;
            this.warnings = warnings;
        }

        public string File { get; }

        public int Line { get; }

        public string Subject { get; set; } = "";

        public void Warn(string message) => warnings.Add(Line > 0 ? $"{File}:{Line}: {message}" : $"{File}: {message}");

        public void CheckKeys(TomlTable table, string[] known, string what)
        {
            foreach (var key in table.Keys)
            {
                if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    Warn($"{Prefix()}unknown key '{key}' in {what}; ignored");
                }
            }
        }

        public object? Get(TomlTable table, string key)
        {
            foreach (var pair in table)
            {
                if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    return pair.Value;
                }
            }

            return null;
        }

        public TomlTable Table(object value, string what) =>
            value as TomlTable ?? throw Error($"{what} must be a table");

        public IEnumerable<TomlTable> Tables(TomlTable table, string key) => Get(table, key) switch
        {
            null => Array.Empty<TomlTable>(),
            TomlTableArray array => array,
            TomlArray array when array.All(a => a is TomlTable) => array.Cast<TomlTable>(),
            TomlTable single => new[] { single },
            _ => throw Error($"{key} must be an array of tables ([[{key}]])"),
        };

        public string? String(TomlTable table, string key) => Get(table, key) switch
        {
            null => null,
            string s => s,
            var other => throw Error($"{key} must be a string, not {Describe(other)}"),
        };

        public IReadOnlyList<string> Strings(TomlTable table, string key) => Get(table, key) switch
        {
            null => Array.Empty<string>(),
            string s => new[] { s },
            TomlArray array => array.Select(a => a as string ?? throw Error($"{key} must be a list of strings")).ToArray(),
            var other => throw Error($"{key} must be a list of strings, not {Describe(other)}"),
        };

        public bool? Bool(TomlTable table, string key) => Get(table, key) switch
        {
            null => null,
            bool b => b,
            var other => throw Error($"{key} must be true or false, not {Describe(other)}"),
        };

        public int? Int(TomlTable table, string key) => Get(table, key) switch
        {
            null => null,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            var other => throw Error($"{key} must be an integer, not {Describe(other)}"),
        };

        public double? Double(TomlTable table, string key) => Get(table, key) switch
        {
            null => null,
            double d => d,
            long l => l,
            var other => throw Error($"{key} must be a number, not {Describe(other)}"),
        };

        private string Prefix() => Subject.Length > 0 ? Subject + ": " : "";

        private ConfigException Error(string message) => new(File, Line, Prefix() + message);

        private static string Describe(object value) => value switch
        {
            string s => $"'{s}'",
            TomlTable => "a table",
            TomlArray or TomlTableArray => "an array",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }
}

/// <summary>Source-generated TOML metadata for the untyped model, so the import works trimmed and under Native AOT.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class GitleaksTomlContext : TomlSerializerContext
{
}
