// Runs external programs (dotnet, git, pre-commit) for the packaging tests and finds the repository root.
using System.Diagnostics;
using System.Text;

namespace SecretScan.Packaging.Tests;

public sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    public string All => StdOut + StdErr;
}

internal static class Tools
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static ToolResult Run(string file, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["NO_COLOR"] = "1";
        // MSBuild node reuse would keep build servers alive after the test and hold files open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 10 minutes");
        }

        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static ToolResult MustRun(string file, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var result = Run(file, workingDirectory, environment, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} exited with {result.ExitCode} in {workingDirectory}:\n{result.All}");
        }

        return result;
    }

    public static ToolResult Git(string workingDirectory, params string[] args) => MustRun("git", workingDirectory, null, args);

    /// <summary>The version every package gets, as Directory.Build.props sets it.</summary>
    public static string PackageVersion()
    {
        var props = File.ReadAllText(Path.Combine(RepoRoot, "Directory.Build.props"));
        var start = props.IndexOf("<Version>", StringComparison.Ordinal) + "<Version>".Length;
        return props[start..props.IndexOf("</Version>", start, StringComparison.Ordinal)];
    }

    /// <summary>The lines of the first fenced block after a Markdown heading, without comments after `#`.</summary>
    public static IReadOnlyList<string> FencedBlockAfter(string markdown, string heading)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var at = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(at >= 0, $"README.md has no heading '{heading}'");
        var open = Array.FindIndex(lines, at + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        var commands = new List<string>();
        for (var i = open + 1; i < close; i++)
        {
            var hash = lines[i].IndexOf(" #", StringComparison.Ordinal);
            var command = (hash >= 0 ? lines[i][..hash] : lines[i]).Trim();
            if (command.Length > 0)
            {
                commands.Add(command);
            }
        }

        return commands;
    }

    public static string NewTempFolder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"secretscan-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static string Describe(ToolResult result) => new StringBuilder()
        .Append("exit ").Append(result.ExitCode).AppendLine()
        .AppendLine(result.StdOut).AppendLine(result.StdErr).ToString();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecretScan.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecretScan.sln not found above " + AppContext.BaseDirectory);
    }
}
