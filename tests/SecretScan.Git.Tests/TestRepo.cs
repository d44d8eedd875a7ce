// Real git repositories in temp folders, built with the git CLI (also compiled into SecretScan.Cli.Tests).
using System.Diagnostics;

namespace SecretScan.Git.Tests;

/// <summary>A git repository in a temp folder. Identity and dates come from the environment of each command, never from global config.</summary>
internal sealed class TestRepo : IDisposable
{
    private static int clock;

    public TestRepo(string? path = null, bool init = true, bool bare = false)
    {
        Path = path ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "secretscan-git-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (init)
        {
            Git(bare ? new[] { "init", "-q", "--bare", "-b", "main" } : new[] { "init", "-q", "-b", "main" });
        }
    }

    public string Path { get; }

    /// <summary>Runs git in the repository and returns its output; fails the test on a non-zero exit.</summary>
    public string Git(params string[] args) => GitIn(Path, args);

    public static string GitIn(string directory, params string[] args)
    {
        var (code, stdout, stderr) = TryGitIn(directory, args);
        Assert.True(code == 0, $"git {string.Join(' ', args)} failed ({code}): {stderr}");
        return stdout.Trim();
    }

    public static (int Code, string StdOut, string StdErr) TryGitIn(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "user.name=Test Author", "-c", "user.email=author@example.invalid", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", "-c", "protocol.file.allow=always" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        // Commits one minute apart, so "oldest" is well defined and the log order is stable.
        var when = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (60 * Interlocked.Increment(ref clock))).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["GIT_AUTHOR_DATE"] = when;
        start.Environment["GIT_COMMITTER_DATE"] = when;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void WriteBytes(string relative, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    /// <summary>Stages everything and commits; returns the new commit's sha.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    public void Dispose()
    {
        try
        {
            foreach (var f in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(f, FileAttributes.Normal);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
