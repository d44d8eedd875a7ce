// Installs and removes the pre-commit hook that runs `secretscan scan --staged`, where git will look for it
// (core.hooksPath honoured, worktrees share the main repository's hooks), without ever clobbering a foreign hook.
using System.Text;

namespace SecretScan.Git;

public enum HookOutcome
{
    Installed,
    Updated,
    Chained,
    Replaced,
    Removed,
    Restored,
    NotInstalled,
}

public static class PreCommitHook
{
    /// <summary>The line that marks a hook as ours: only such a hook is ever overwritten or removed without --force.</summary>
    public const string Marker = "# secretscan pre-commit hook";

    public const string HookName = "pre-commit";

    /// <summary>Where an existing hook goes when ours is chained in front of it; ours runs it first.</summary>
    public const string ChainedName = "pre-commit.secretscan-previous";

    public const string BackupName = "pre-commit.secretscan-backup";

    /// <summary>The folder git runs hooks from for the repository at <paramref name="path"/>, and whether it lies outside the repository.</summary>
    public static (string Directory, bool OutsideRepository) HooksDirectory(string path)
    {
        using var repo = GitRepository.Open(path);
        var directory = repo.CommandDirectory;

        // git itself resolves core.hooksPath (relative, ~, per-worktree config) and the worktrees' shared hooks folder.
        var hooks = GitProcess.Run(directory, "rev-parse", "--path-format=absolute", "--git-path", "hooks").Trim();
        if (hooks.Length == 0)
        {
            throw new GitException($"{path}: git did not say where its hooks are");
        }

        hooks = Path.GetFullPath(hooks);
        var common = Path.GetFullPath(GitProcess.Run(directory, "rev-parse", "--path-format=absolute", "--git-common-dir").Trim());
        var inside = IsUnder(hooks, common) || (repo.WorkingDirectory is { } work && IsUnder(hooks, Path.GetFullPath(work)));
        return (hooks, !inside);
    }

    /// <summary>
    /// Writes the hook. An existing hook that is not ours is refused unless <paramref name="chain"/> (it is kept and
    /// run first) or <paramref name="force"/> (it is saved as <see cref="BackupName"/> and replaced).
    /// </summary>
    public static HookOutcome Install(string hooksDirectory, string command, bool chain, bool force)
    {
        Directory.CreateDirectory(hooksDirectory);
        var hook = Path.Combine(hooksDirectory, HookName);
        var outcome = HookOutcome.Installed;
        if (File.Exists(hook) || IsDanglingLink(hook))
        {
            if (IsOurs(hook))
            {
                outcome = HookOutcome.Updated;
            }
            else if (chain)
            {
                var previous = Path.Combine(hooksDirectory, ChainedName);
                if (File.Exists(previous))
                {
                    throw new GitException($"{previous} already exists; remove it or run `secretscan hook uninstall` first");
                }

                File.Move(hook, previous);
                outcome = HookOutcome.Chained;
            }
            else if (force)
            {
                File.Move(hook, Path.Combine(hooksDirectory, BackupName), overwrite: true);
                outcome = HookOutcome.Replaced;
            }
            else
            {
                throw new GitException($"{hook} already exists and was not written by secretscan: use --chain to run it before secretscan, or --force to replace it (it is kept as {BackupName})");
            }
        }

        var temp = hook + ".secretscan-tmp";
        File.WriteAllText(temp, Script(command), new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                       UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        File.Move(temp, hook, overwrite: true);
        return outcome;
    }

    /// <summary>Removes our hook and puts back the one it was chained in front of. Never touches a hook that is not ours.</summary>
    public static HookOutcome Uninstall(string hooksDirectory)
    {
        var hook = Path.Combine(hooksDirectory, HookName);
        var previous = Path.Combine(hooksDirectory, ChainedName);
        if (!File.Exists(hook))
        {
            return HookOutcome.NotInstalled;
        }

        if (!IsOurs(hook))
        {
            throw new GitException($"{hook} was not written by secretscan; left as it is");
        }

        File.Delete(hook);
        if (File.Exists(previous))
        {
            File.Move(previous, hook);
            return HookOutcome.Restored;
        }

        return HookOutcome.Removed;
    }

    public static bool IsOurs(string hook)
    {
        try
        {
            using var reader = new StreamReader(hook);
            for (var i = 0; i < 5 && reader.ReadLine() is { } line; i++)
            {
                if (line.StartsWith(Marker, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return false;
    }

    /// <summary>
    /// The hook script (POSIX sh, which Git for Windows runs too). It prefers `secretscan` on PATH, so upgrading the
    /// tool needs no reinstall, and falls back to <paramref name="command"/>, the tool that installed it.
    /// </summary>
    internal static string Script(string command) =>
        "#!/bin/sh\n" +
        Marker + ": blocks commits that add secrets. Written by `secretscan hook install`;\n" +
        "# remove it with `secretscan hook uninstall`. To commit anyway once: `git commit --no-verify`.\n" +
        "hook_dir=$(dirname \"$0\")\n" +
        "if [ -x \"$hook_dir/" + ChainedName + "\" ]; then\n" +
        "  \"$hook_dir/" + ChainedName + "\" \"$@\" || exit $?\n" +
        "fi\n" +
        "if command -v secretscan >/dev/null 2>&1; then\n" +
        "  exec secretscan scan --staged --no-progress .\n" +
        "fi\n" +
        "exec " + command + " scan --staged --no-progress .\n";

    private static bool IsUnder(string path, string folder)
    {
        var f = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return (Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar).StartsWith(f, StringComparison.Ordinal);
    }

    private static bool IsDanglingLink(string path) => new FileInfo(path).LinkTarget is not null;
}
