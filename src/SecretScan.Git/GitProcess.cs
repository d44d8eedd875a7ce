// Runs the git command line: short commands captured whole, and long ones (log, cat-file) streamed through pipes.
using System.Diagnostics;
using System.Text;

namespace SecretScan.Git;

internal static class GitProcess
{
    /// <summary>
    /// Settings that make git's output stable and safe to parse whatever the user's config says: no pager, no color,
    /// no prompts, no optional locks (a scan must never block or disturb a commit running next to it), no lazy fetches.
    /// </summary>
    private static readonly string[] FixedConfig =
    {
        "-c", "core.quotePath=false", "-c", "color.ui=false", "-c", "log.showSignature=false", "-c", "diff.noprefix=false",
        "-c", "log.showRoot=true", "-c", "core.fsmonitor=false",
    };

    /// <summary>Runs git in <paramref name="directory"/> and returns its standard output; throws <see cref="GitException"/> on a non-zero exit.</summary>
    public static string Run(string directory, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(directory, args);
        if (code != 0)
        {
            throw new GitException(FirstLine(stderr) ?? $"git {string.Join(' ', args)} failed with exit code {code}");
        }

        return stdout;
    }

    /// <summary>Runs git and returns its exit code and outputs without throwing on failure.</summary>
    public static (int ExitCode, string StdOut, string StdErr) TryRun(string directory, params string[] args)
    {
        using var process = Start(directory, args, redirectInput: false);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>
    /// Starts git with its output (and optionally input) as pipes; the caller reads and disposes.
    /// <paramref name="environment"/> adds variables some settings can only be given by (GIT_GRAFT_FILE).
    /// </summary>
    public static Process Start(string directory, IReadOnlyList<string> args, bool redirectInput, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in FixedConfig)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["GIT_NO_LAZY_FETCH"] = "1";
        start.Environment["GIT_PAGER"] = "cat";
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        try
        {
            return Process.Start(start) ?? throw new GitException("cannot start git");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GitException("cannot run git (is it installed and on PATH?): " + e.Message, e);
        }
    }

    /// <summary>
    /// Linux: grows a pipe from git to 1 MB (from 64 KB). `cat-file` then writes in long runs instead of waking this
    /// process every 64 KB; measured on curl's history, task switches were 3% of all CPU time. Best effort elsewhere.
    /// </summary>
    public static void EnlargePipe(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not System.IO.Pipes.PipeStream pipe)
        {
            return;
        }

        try
        {
            const int SetPipeSize = 1031; // F_SETPIPE_SZ
            _ = Fcntl((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, 1 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    /// <summary>The line that says what failed: git's `fatal:` line when there is one (the `error:` lines before it are detail), else the first line.</summary>
    public static string? FirstLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("fatal: ", StringComparison.Ordinal))
            {
                return line.Substring(7).Trim();
            }
        }

        foreach (var line in text.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length > 0)
            {
                return t.StartsWith("fatal: ", StringComparison.Ordinal) ? t.Substring(7) : t;
            }
        }

        return null;
    }
}
