// Runs the real `secretscan` process (the built secretscan.dll next to these tests) and captures what it prints.
using System.Diagnostics;

namespace SecretScan.Git.Tests;

internal sealed record CliResult(int ExitCode, string StdOut, string StdErr);

internal static class CliRun
{
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "secretscan.dll");

    public static CliResult Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("secretscan " + string.Join(' ', args));
        }

        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
