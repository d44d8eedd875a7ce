// Sizes of the hostile cases: small by default (the suite stays quick in `dotnet test`), the issue's sizes with SECRETSCAN_ADVERSARIAL_SCALE=full.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SecretScan.Core;
using SecretScan.Core.Validation;

namespace SecretScan.Cli.Tests.Adversarial;

/// <summary>
/// SECRETSCAN_ADVERSARIAL_SCALE: unset or `small` = the default sizes; `full` = the sizes issue 7 names (2 GB file,
/// 500 MB line, 1,000,000 files, 10,000-deep folders; minutes and gigabytes of disk); a number = that fraction of full.
/// </summary>
internal static class AdversarialScale
{
    private static readonly double? Fraction = Parse(Environment.GetEnvironmentVariable("SECRETSCAN_ADVERSARIAL_SCALE"));

    public static bool IsFull => Fraction is >= 1;

    /// <summary><paramref name="small"/> by default, else the fraction of <paramref name="full"/>, never below small.</summary>
    public static long Size(long small, long full) => Fraction is { } f ? Math.Max(small, (long)(full * f)) : small;

    public static int Count(int small, int full) => (int)Size(small, full);

    /// <summary>Time a case may take before it counts as hung: generous at full size.</summary>
    public static TimeSpan Timeout => Fraction is null ? TimeSpan.FromSeconds(90) : TimeSpan.FromHours(1);

    private static double? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "small" => null,
        "full" => 1.0,
        var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 => f,
        var v => throw new InvalidOperationException($"SECRETSCAN_ADVERSARIAL_SCALE='{v}': use small, full or a fraction such as 0.1"),
    };
}

/// <summary>Fakes for the hostile cases, and the JSON report read back.</summary>
internal static class Hostile
{
    private static readonly Random Rng = new();

    /// <summary>A fresh, checksum-valid, fake GitHub token: built-in rule SS1100 finds it anywhere.</summary>
    public static string Token()
    {
        lock (Rng)
        {
            return ExampleTemplates.Expand("{{github:ghp_}}", Rng);
        }
    }

    /// <summary>Plants a token in an ordinary file next to the hostile input; it must be found whatever the rest does.</summary>
    public static string Plant(string folder, string name = "planted.env")
    {
        var token = Token();
        File.WriteAllText(Path.Combine(folder, name), $"# deploy settings\nGITHUB_TOKEN={token}\n");
        return token;
    }

    public static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {stderr.Result}");
    }

    /// <summary>Deletes with rm -rf: it copes with trees deeper than PATH_MAX, which Directory.Delete does not.</summary>
    public static void RemoveTree(string path) => Run("rm", "-rf", path);
}

/// <summary>A scan's JSON report with the bits the hostile cases check.</summary>
internal sealed class ScanOutcome
{
    private ScanOutcome(CliResult result, TimeSpan elapsed)
    {
        Result = result;
        Elapsed = elapsed;
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
        Assert.True(result.ExitCode is 0 or 1 or 2, $"exit code {result.ExitCode}: {result.StdErr}");
        Assert.True(result.StdOut.TrimStart().StartsWith('{'), $"no JSON report (exit {result.ExitCode}): {result.StdErr}");
        using var doc = JsonDocument.Parse(result.StdOut);
        var root = doc.RootElement;
        FoundHashes = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("secretHash").GetString()!).ToHashSet();
        Findings = root.GetProperty("findings").GetArrayLength();
        Warnings = root.GetProperty("warnings").EnumerateArray()
            .Select(w => (Kind: w.GetProperty("kind").GetString()!, Path: w.GetProperty("path").GetString()!, Message: w.GetProperty("message").GetString()!))
            .ToArray();
        Errors = root.GetProperty("statistics").GetProperty("errors").GetInt32();
    }

    public CliResult Result { get; }

    public TimeSpan Elapsed { get; }

    public HashSet<string> FoundHashes { get; }

    public int Findings { get; }

    public (string Kind, string Path, string Message)[] Warnings { get; }

    public int Errors { get; }

    public int ExitCode => Result.ExitCode;

    /// <summary>Runs `secretscan scan ... --format json` and checks it ended with a report, not a crash or a hang.</summary>
    public static ScanOutcome Scan(string workingDirectory, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var r = CliProcess.Run(workingDirectory, AdversarialScale.Timeout, new[] { "scan" }.Concat(args).Concat(new[] { "--format", "json", "--no-progress" }).ToArray());
        return new ScanOutcome(r, clock.Elapsed);
    }

    public bool Found(string secret) => FoundHashes.Contains(SecretIdentity.HashSecret(secret));

    public void AssertFound(params string[] secrets)
    {
        foreach (var s in secrets)
        {
            Assert.True(Found(s), $"planted secret {SecretIdentity.Redact(s)} not found; warnings: {string.Join("; ", Warnings.Select(w => $"{w.Kind} {w.Path}: {w.Message}"))}; stderr: {Result.StdErr}");
        }
    }

    public (string Kind, string Path, string Message) Warning(string path) =>
        Assert.Single(Warnings, w => w.Path == path);
}
