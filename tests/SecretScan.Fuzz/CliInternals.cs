// Reaches the CLI's internal report reader, file decoder and rule catalog by reflection, so the harness fuzzes the
// code the `secretscan` tool runs rather than a copy of it (the CLI exposes its internals only to its own tests).
using System.Reflection;
using System.Text;
using SecretScan.Core;
using SecretScan.Rules.Yaml;

namespace SecretScan.Fuzz;

internal static class CliInternals
{
    private const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DoNotWrapExceptions;

    private static readonly Assembly Cli = Assembly.Load("secretscan");

    private static readonly MethodInfo ReadReport = Method("SecretScan.Cli.ReportFindings", "Read");
    private static readonly MethodInfo Detect = Method("SecretScan.Cli.FolderScan", "DetectEncoding");
    private static readonly MethodInfo ResolveRules = Method("SecretScan.Cli.RuleCatalog", "Resolve");

    /// <summary>The CLI's one-line usage error (exit code 2): an expected outcome, not a crash.</summary>
    public static bool IsUsageError(Exception e) => e.GetType().FullName == "SecretScan.Cli.UsageException";

    /// <summary>`revoke --from FILE`: reads a JSON report or SARIF log; returns how many findings it held.</summary>
    public static int ReadReportFindings(string path)
    {
        var result = ReadReport.Invoke(null, Static, null, new object[] { path }, null)!;
        var findings = (System.Collections.ICollection)result.GetType().GetField("Item1")!.GetValue(result)!;
        return findings.Count;
    }

    /// <summary>The encoding `scan` picks for a file's first bytes; null means binary (skipped).</summary>
    public static Encoding? DetectEncoding(byte[] head, int length, out int bomLength)
    {
        var args = new object?[] { head, length, 0 };
        var encoding = (Encoding?)Detect.Invoke(null, Static, null, args, null);
        bomLength = (int)args[2]!;
        return encoding;
    }

    /// <summary>Built-in rules plus config rules, minus `disable:`, as `scan` resolves them.</summary>
    public static IReadOnlyList<Rule> Resolve(ScanConfig config) =>
        (IReadOnlyList<Rule>)ResolveRules.Invoke(null, Static, null, new object?[] { config, null }, null)!;

    private static MethodInfo Method(string type, string name) =>
        (Cli.GetType(type, throwOnError: true)!).GetMethod(name, Static) ?? throw new MissingMethodException(type, name);
}
