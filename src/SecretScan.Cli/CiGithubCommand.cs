// `secretscan ci github`: the one command the GitHub Action runs; its flags map one to one onto the action's inputs.
using System.CommandLine;
using SecretScan.Core;

namespace SecretScan.Cli;

internal static class CiGithubCommand
{
    /// <summary>The `ci` command with its `github` subcommand (room for other CI systems next to it).</summary>
    public static Command Build()
    {
        var path = new Argument<string?>("path") { Description = "Repository to scan (default: $GITHUB_WORKSPACE, else the current folder).", DefaultValueFactory = _ => null };
        var mode = new Option<string>("--mode") { Description = "auto: a pull request's commits (base..head) on pull_request, pull_request_target and merge_group events, a push's commits on push (a new branch: its commits that are not on the default branch), the checked-out tree on any other event; pr: always the pull request; history: every commit of every branch and tag; folder: the checked-out files.", DefaultValueFactory = _ => "auto" };
        mode.AcceptOnlyFromAmong("auto", "pr", "history", "folder");

        // Empty values count as not given, so the action can pass every input through unconditionally.
        var config = new Option<string?>("--config", "-c") { Description = "Config file; overrides .secretscan.yaml at the repository root (empty: .secretscan.yaml alone)." };
        var baseline = new Option<string?>("--baseline") { Description = "Report only findings that are not in this baseline file. Empty: the config's baseline, if any." };
        var failOn = new Option<string>("--fail-on") { Description = "Lowest severity that makes the exit code 1 (and the annotation an error).", DefaultValueFactory = _ => "low" };
        failOn.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var sarif = new Option<string?>("--sarif") { Description = "Where to write the SARIF file for code scanning. Default: $RUNNER_TEMP/secretscan.sarif." };
        var revoke = new Option<bool>("--revoke") { Description = "Revoke the secrets found where the provider allows it, and run the config's revoke hooks (off by default; a dry run for pull requests from forks)." };

        var github = new Command(
            "github",
            "Scan in GitHub Actions: reads the event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH), scans what it added, writes annotations, a job summary (GITHUB_STEP_SUMMARY), outputs findings, sarif and fork (GITHUB_OUTPUT), and the SARIF file. Exit code 0 clean, 1 findings, 2 error (e.g. a checkout too shallow for the range, with the fetch-depth it needs).")
        {
            path, mode, config, baseline, failOn, sarif, revoke,
        };
        github.SetAction(parse =>
        {
            var options = new CiGithubOptions
            {
                Mode = Enum.Parse<CiMode>(parse.GetValue(mode)!, ignoreCase: true),
                Root = NullIfEmpty(parse.GetValue(path)),
                Config = NullIfEmpty(parse.GetValue(config)),
                Baseline = NullIfEmpty(parse.GetValue(baseline)),
                FailOn = Enum.Parse<Severity>(parse.GetValue(failOn)!, ignoreCase: true),
                Sarif = NullIfEmpty(parse.GetValue(sarif)),
                Revoke = parse.GetValue(revoke),
            };
            return CiGithubRun.Execute(options, CiGithubContext.Read(Environment.GetEnvironmentVariable));
        });

        return new Command("ci", "Run inside a CI system, reading what it says about the change.") { github };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
