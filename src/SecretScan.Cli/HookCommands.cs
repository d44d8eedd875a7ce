// `secretscan hook install|uninstall`: the git pre-commit hook that scans staged changes.
using System.CommandLine;
using SecretScan.Git;

namespace SecretScan.Cli;

internal static class HookCommands
{
    public static Command Build()
    {
        var installPath = new Argument<string>("path") { Description = "The repository (any folder inside it).", DefaultValueFactory = _ => "." };
        var force = new Option<bool>("--force") { Description = "Replace a pre-commit hook secretscan did not write (it is kept as pre-commit.secretscan-backup), or install into a core.hooksPath outside the repository." };
        var chain = new Option<bool>("--chain") { Description = "Keep an existing pre-commit hook and run it before secretscan." };
        var install = new Command("install", "Install a pre-commit hook that runs `secretscan scan --staged` (honours core.hooksPath).") { installPath, force, chain };
        install.SetAction(parse =>
        {
            var path = parse.GetValue(installPath)!;
            var isForced = parse.GetValue(force);
            return Run(() =>
            {
                var (hooks, outside) = PreCommitHook.HooksDirectory(path);
                if (outside && !isForced)
                {
                    throw new GitException($"core.hooksPath points to {hooks}, outside this repository: a hook there runs for every repository that shares it; pass --force to install there anyway");
                }

                var outcome = PreCommitHook.Install(hooks, SelfCommand(), parse.GetValue(chain), isForced);
                var hook = Path.Combine(hooks, PreCommitHook.HookName);
                Console.Error.WriteLine(outcome switch
                {
                    HookOutcome.Updated => $"secretscan: updated the pre-commit hook {hook}",
                    HookOutcome.Chained => $"secretscan: installed {hook}; it runs the existing hook (now {PreCommitHook.ChainedName}) first",
                    HookOutcome.Replaced => $"secretscan: replaced {hook}; the old hook is kept as {PreCommitHook.BackupName}",
                    _ => $"secretscan: installed the pre-commit hook {hook}",
                });
            });
        });

        var uninstallPath = new Argument<string>("path") { Description = "The repository (any folder inside it).", DefaultValueFactory = _ => "." };
        var uninstall = new Command("uninstall", "Remove the pre-commit hook secretscan installed (restoring a hook it was chained to).") { uninstallPath };
        uninstall.SetAction(parse => Run(() =>
        {
            var (hooks, _) = PreCommitHook.HooksDirectory(parse.GetValue(uninstallPath)!);
            var outcome = PreCommitHook.Uninstall(hooks);
            Console.Error.WriteLine(outcome switch
            {
                HookOutcome.NotInstalled => $"secretscan: no pre-commit hook in {hooks}",
                HookOutcome.Restored => $"secretscan: removed the secretscan hook; the previous pre-commit hook is back",
                _ => $"secretscan: removed the pre-commit hook from {hooks}",
            });
        }));

        return new Command("hook", "Install or remove the git pre-commit hook.") { install, uninstall };
    }

    private static int Run(Action action)
    {
        try
        {
            action();
            return ExitCodes.Clean;
        }
        catch (GitException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>How the hook starts this very tool when `secretscan` is not on PATH: the apphost, or `dotnet secretscan.dll`.</summary>
    private static string SelfCommand()
    {
        var process = Environment.ProcessPath ?? "secretscan";
        var name = Path.GetFileNameWithoutExtension(process);
        if (string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return Quote(process) + " " + Quote(typeof(Program).Assembly.Location);
        }

        return Quote(process);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
