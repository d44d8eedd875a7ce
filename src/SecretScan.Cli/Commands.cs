// Every command and flag of the CLI, defined once: help text and the generated CLI reference come from here.
using System.CommandLine;
using SecretScan.Core;
using SecretScan.Rules.Yaml;

namespace SecretScan.Cli;

internal static class Commands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("SecretScan: finds hard-coded secrets (API keys, tokens, private keys, wallet secrets) before and after they leak.");
        root.Subcommands.Add(BuildScan());
        root.Subcommands.Add(BuildRules());
        root.Subcommands.Add(RevokeCommands.BuildRevoke());
        root.Subcommands.Add(RevokeCommands.BuildAudit());
        root.Subcommands.Add(BaselineCommands.Build());
        root.Subcommands.Add(HookCommands.Build());
        root.Subcommands.Add(CiGithubCommand.Build());
        return root;
    }

    private static Command BuildScan()
    {
        var path = new Argument<string>("path") { Description = "Folder (or file) to scan.", DefaultValueFactory = _ => "." };
        var config = new Option<string?>("--config", "-c") { Description = "Config file; overrides .secretscan.yaml at the scan root." };
        var rules = new Option<string?>("--rules") { Description = "Rule file or folder to use instead of the built-in rules." };
        var format = new Option<string>("--format", "-f") { Description = "Report format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var failOn = new Option<string>("--fail-on") { Description = "Lowest severity that makes the exit code 1.", DefaultValueFactory = _ => "low" };
        failOn.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var threads = new Option<int>("--threads", "-j") { Description = "Files scanned in parallel (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noRedact = new Option<bool>("--no-redact") { Description = "Print secrets in full (never do this in CI logs)." };
        var include = new Option<string[]>("--include") { Description = "Only scan paths matching this glob (repeatable).", AllowMultipleArgumentsPerToken = false };
        var exclude = new Option<string[]>("--exclude") { Description = "Skip paths matching this glob (repeatable).", AllowMultipleArgumentsPerToken = false };
        var maxSize = new Option<string?>("--max-file-size") { Description = "Skip files larger than this (e.g. 10MB; 0 = no limit). Default 100MB." };
        var timeout = new Option<int?>("--regex-timeout") { Description = "Regex match timeout per rule and file, in milliseconds. Default 1000." };
        var maxFindings = new Option<int?>("--max-findings-per-file") { Description = $"Findings kept per file; more are counted in one warning (0 = no limit). Default {RuleSetOptions.DefaultMaxFindingsPerFile}." };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress line on standard error." };
        var profileRules = new Option<bool>("--profile-rules") { Description = "Print the rules that took the most time to standard error (for tuning custom rules)." };
        var gitleaksConfig = new Option<string?>("--gitleaks-config") { Description = "Also load the rules and allowlists of this gitleaks config (.gitleaks.toml); rules it cannot translate are listed as warnings." };

        var scan = new Command("scan", "Scan a folder, the git history (--git), a commit range (--range) or the staged changes (--staged) for secrets.")
        {
            path, config, rules, format, output, failOn, threads, noRedact, include, exclude, maxSize, timeout, maxFindings, noProgress, profileRules,
            gitleaksConfig,
        };
        var revocation = RevocationOptions.AddTo(scan);
        var gitScan = GitScanOptions.AddTo(scan);
        var baseline = BaselineOption.AddTo(scan);
        scan.SetAction(parse =>
        {
            var target = Path.GetFullPath(parse.GetValue(path)!);
            string root;
            string? singleFile = null;
            if (Directory.Exists(target))
            {
                root = target;
            }
            else if (File.Exists(target))
            {
                root = Path.GetDirectoryName(target)!;
                singleFile = Path.GetFileName(target);
            }
            else
            {
                throw new UsageException($"{parse.GetValue(path)}: no such file or folder");
            }

            var cfg = ScanSettings.LoadConfig(root, parse.GetValue(config), parse.GetValue(gitleaksConfig));
            var maxSizeText = parse.GetValue(maxSize);
            long maxFileSize = cfg.MaxFileSize ?? ScanSettings.DefaultMaxFileSize;
            if (maxSizeText is not null && !ScanConfigLoader.TryParseSize(maxSizeText, out maxFileSize))
            {
                throw new UsageException($"--max-file-size: '{maxSizeText}' is not a size such as 10MB");
            }

            var threadCount = parse.GetValue(threads);
            if (threadCount < 1)
            {
                throw new UsageException("--threads must be at least 1");
            }

            var timeoutMs = parse.GetValue(timeout);
            if (timeoutMs is <= 0 or int.MaxValue)
            {
                throw new UsageException("--regex-timeout must be a positive number of milliseconds");
            }

            var findingsLimit = parse.GetValue(maxFindings) ?? cfg.MaxFindingsPerFile ?? RuleSetOptions.DefaultMaxFindingsPerFile;
            if (findingsLimit < 0)
            {
                throw new UsageException("--max-findings-per-file must be 0 (no limit) or a positive number");
            }

            var settings = new ScanSettings
            {
                Root = root,
                SingleFile = singleFile,
                Config = cfg,
                RulesPath = parse.GetValue(rules),
                Format = Enum.Parse<ReportFormat>(parse.GetValue(format)!, ignoreCase: true),
                Output = parse.GetValue(output),
                FailOn = Enum.Parse<Severity>(parse.GetValue(failOn)!, ignoreCase: true),
                Threads = threadCount,
                Redact = !parse.GetValue(noRedact),
                Include = singleFile is not null ? new[] { singleFile } : parse.GetValue(include) ?? Array.Empty<string>(),
                Exclude = parse.GetValue(exclude) ?? Array.Empty<string>(),
                MaxFileSize = maxFileSize,
                MaxFindingsPerFile = findingsLimit,
                RegexTimeout = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : cfg.RegexTimeout ?? TimeSpan.FromSeconds(1),
                Progress = !parse.GetValue(noProgress) && !Console.IsErrorRedirected,
                ProfileRules = parse.GetValue(profileRules),
                Revocation = revocation.Read(parse),
                Baseline = baseline.Read(parse, root, cfg),
            };
            var git = gitScan.Read(parse);
            return git.Mode == GitScanMode.None ? ScanRun.Execute(settings) : GitScanRun.Execute(settings, git);
        });
        return scan;
    }

    private static Command BuildRules()
    {
        var rulesOption = new Option<string?>("--rules") { Description = "Rule file or folder (default: the built-in rules)." };
        var listFormat = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        listFormat.AcceptOnlyFromAmong("text", "json");
        var list = new Command("list", "List the rules with id, name, severity and title.") { rulesOption, listFormat };
        list.SetAction(parse => RulesRun.List(parse.GetValue(rulesOption), parse.GetValue(listFormat)!));

        var checkRules = new Option<string?>("--rules") { Description = "Rule file or folder to check (default: the built-in rules; examples are only in the YAML)." };
        var seed = new Option<int>("--seed") { Description = "Seed for the fake values example templates draw (default 1, the draw the tests and CI check; other numbers try other values).", DefaultValueFactory = _ => 1 };
        var check = new Command("check", "Lint rules and run their examples and negative examples.") { checkRules, seed };
        check.SetAction(parse => RulesRun.Check(parse.GetValue(checkRules), parse.GetValue(seed)));

        return new Command("rules", "List or check detection rules.") { list, check };
    }
}
