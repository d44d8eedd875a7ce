// `baseline create` and `baseline update`, the --baseline scan flag, and the filter that hides accepted findings.
using System.CommandLine;
using SecretScan.Core;
using SecretScan.Git;
using SecretScan.Reporting;
using SecretScan.Rules.Yaml;

namespace SecretScan.Cli;

/// <summary>The --baseline flag of `scan`.</summary>
internal sealed class BaselineOption
{
    private readonly Option<string?> baseline = new("--baseline") { Description = "Report only findings that are not in this baseline file (see `secretscan baseline create`)." };

    public static BaselineOption AddTo(Command scan)
    {
        var option = new BaselineOption();
        scan.Options.Add(option.baseline);
        return option;
    }

    /// <summary>The flag (relative to the current folder), else the config's `baseline:` (relative to the scan root); null for none.</summary>
    public string? Read(ParseResult parse, string root, ScanConfig config) =>
        parse.GetValue(baseline) is { } flag ? Path.GetFullPath(flag) :
        config.Baseline is { Length: > 0 } fromConfig ? Path.GetFullPath(Path.Combine(root, fromConfig)) : null;
}

internal static class BaselineFilter
{
    /// <summary>The findings the baseline does not hold; says on stderr how many it hid. No baseline: all of them.</summary>
    public static IReadOnlyList<Finding> Apply(IReadOnlyList<Finding> findings, string? baselineFile)
    {
        if (baselineFile is null)
        {
            return findings;
        }

        var baseline = Load(baselineFile);
        var fresh = new List<Finding>();
        int known = 0, moved = 0;
        foreach (var f in findings)
        {
            switch (baseline.Match(f))
            {
                case BaselineMatch.None:
                    fresh.Add(f);
                    break;
                case BaselineMatch.Secret:
                    moved++;
                    known++;
                    break;
                default:
                    known++;
                    break;
            }
        }

        if (known > 0)
        {
            Console.Error.WriteLine($"secretscan: {known} finding{(known == 1 ? "" : "s")} in the baseline {baselineFile} not reported" +
                (moved > 0 ? $" ({moved} under a new path: same secret, file moved or copied)" : ""));
        }

        return fresh;
    }

    public static Baseline Load(string file)
    {
        try
        {
            return BaselineFile.Read(file);
        }
        catch (BaselineFormatException e)
        {
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{file}: cannot read the baseline: {e.Message}");
        }
    }
}

internal static class BaselineCommands
{
    public static Command Build()
    {
        return new Command("baseline", "Accept the secrets a repository has today, so scans report only new ones.")
        {
            BuildCreate(),
            BuildUpdate(),
        };
    }

    private static Command BuildCreate()
    {
        var scope = new BaselineScope();
        var output = new Option<string?>("--output", "-o") { Description = $"Baseline file to write (default: {BaselineFile.DefaultFileName} at the scan root)." };
        var create = new Command("create", "Scan and write every finding to a baseline file (rule ids, secret hashes, fingerprints; no secrets).");
        scope.AddTo(create);
        create.Options.Add(output);
        create.SetAction(parse =>
        {
            var (root, config, findings, errors) = scope.Scan(parse);
            var file = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(root, config.Baseline ?? BaselineFile.DefaultFileName));
            var baseline = Baseline.From(findings);
            Save(baseline, file);
            Console.Error.WriteLine($"secretscan: wrote {baseline.Entries.Count} baseline entr{(baseline.Entries.Count == 1 ? "y" : "ies")} to {file}");
            return errors > 0 ? ExitCodes.Error : ExitCodes.Clean;
        });
        return create;
    }

    private static Command BuildUpdate()
    {
        var scope = new BaselineScope();
        var file = new Option<string?>("--file") { Description = $"Baseline file to update (default: the config's `baseline`, else {BaselineFile.DefaultFileName} at the scan root)." };
        var prune = new Option<bool>("--prune") { Description = "Remove stale entries (findings that no longer exist) instead of only reporting them." };
        var update = new Command("update", "Scan again: add new findings to the baseline and report entries that match nothing any more.");
        scope.AddTo(update);
        update.Options.Add(file);
        update.Options.Add(prune);
        update.SetAction(parse =>
        {
            var (root, config, findings, errors) = scope.Scan(parse);
            var path = Path.GetFullPath(parse.GetValue(file) ?? Path.Combine(root, config.Baseline ?? BaselineFile.DefaultFileName));
            var old = File.Exists(path) ? BaselineFilter.Load(path) : Baseline.Empty;
            var added = findings.Count(f => old.Match(f) == BaselineMatch.None);
            var stale = old.Stale(findings);
            var pruned = parse.GetValue(prune);
            var updated = old.Update(findings, pruned);
            Save(updated, path);
            foreach (var s in stale)
            {
                Console.Error.WriteLine($"secretscan: stale baseline entry: {s.RuleId} {s.Fingerprint} (matches no finding{(pruned ? "; removed" : "; kept, use --prune to remove it")})");
            }

            Console.Error.WriteLine($"secretscan: {path}: {updated.Entries.Count} entries, {added} new, {stale.Count} stale");
            return errors > 0 ? ExitCodes.Error : ExitCodes.Clean;
        });
        return update;
    }

    private static void Save(Baseline baseline, string file)
    {
        try
        {
            BaselineFile.Write(baseline, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{file}: cannot write the baseline: {e.Message}");
        }
    }

    /// <summary>What a baseline command scans: a folder, or with --git the whole history.</summary>
    private sealed class BaselineScope
    {
        private readonly Argument<string> path = new("path") { Description = "Folder (or repository with --git) to scan.", DefaultValueFactory = _ => "." };
        private readonly Option<string?> config = new("--config", "-c") { Description = "Config file; overrides .secretscan.yaml at the scan root." };
        private readonly Option<string?> rules = new("--rules") { Description = "Rule file or folder to use instead of the built-in rules." };
        private readonly Option<bool> git = new("--git") { Description = "Baseline the whole git history instead of the files." };
        private readonly Option<string[]> include = new("--include") { Description = "Only scan paths matching this glob (repeatable).", AllowMultipleArgumentsPerToken = false };
        private readonly Option<string[]> exclude = new("--exclude") { Description = "Skip paths matching this glob (repeatable).", AllowMultipleArgumentsPerToken = false };

        public void AddTo(Command command)
        {
            command.Arguments.Add(path);
            command.Options.Add(config);
            command.Options.Add(rules);
            command.Options.Add(git);
            command.Options.Add(include);
            command.Options.Add(exclude);
        }

        public (string Root, ScanConfig Config, IReadOnlyList<Finding> Findings, int Errors) Scan(ParseResult parse)
        {
            var root = Path.GetFullPath(parse.GetValue(path)!);
            if (!Directory.Exists(root))
            {
                throw new UsageException($"{parse.GetValue(path)}: no such folder");
            }

            var cfg = ScanSettings.LoadConfig(root, parse.GetValue(config));
            var ruleList = RuleCatalog.Resolve(cfg, parse.GetValue(rules));
            var scanner = new Scanner(RuleSet.Create(ruleList, new RuleSetOptions
            {
                GlobalAllowlist = cfg.Allow,
                RegexTimeout = cfg.RegexTimeout ?? TimeSpan.FromSeconds(1),
                MaxFindingsPerFile = cfg.MaxFindingsPerFile ?? RuleSetOptions.DefaultMaxFindingsPerFile,
                InlineAllowMarkers = cfg.InlineAllowMarkers,
            }));
            var includes = parse.GetValue(include) ?? Array.Empty<string>();
            var excludes = parse.GetValue(exclude) ?? Array.Empty<string>();
            var maxSize = cfg.MaxFileSize ?? ScanSettings.DefaultMaxFileSize;
            if (parse.GetValue(git))
            {
                try
                {
                    var result = HistoryScan.Run(root, scanner, new HistoryOptions { MaxBlobSize = maxSize, PathFilter = PathScope.Create(includes, excludes) });
                    return (result.RepositoryRoot, cfg, cfg.Suppress(result.Findings), result.Statistics.Errors);
                }
                catch (GitException e)
                {
                    throw new UsageException(e.Message);
                }
            }

            var folder = new FolderScan(scanner, maxSize, Environment.ProcessorCount).Run(new FolderWalker(root, includes, excludes));
            return (root, cfg, cfg.Suppress(folder.Findings), folder.Statistics.Errors);
        }
    }
}
