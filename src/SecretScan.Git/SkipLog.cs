// Collects what a git scan could not scan, one warning per path and reason, so 300 versions of a PNG make one line.
using SecretScan.Core;

namespace SecretScan.Git;

internal sealed class SkipLog
{
    private readonly Dictionary<(string Path, string Reason, ScanWarningKind Kind), int> counts = new();
    private readonly List<ScanWarning> others = new();

    public int Skipped { get; private set; }

    public int Errors { get; private set; }

    public void Skip(string path, string reason)
    {
        Skipped++;
        Count(path, reason, ScanWarningKind.Skipped);
    }

    public void Error(string path, string message)
    {
        Errors++;
        others.Add(new ScanWarning(ScanWarningKind.Error, path, message));
    }

    public void Add(ScanWarning warning) => others.Add(warning);

    public List<ScanWarning> Warnings()
    {
        var list = new List<ScanWarning>(others);
        foreach (var ((path, reason, kind), n) in counts)
        {
            list.Add(new ScanWarning(kind, path, n == 1 ? reason : $"{reason} ({n} versions)"));
        }

        return list;
    }

    private void Count(string path, string reason, ScanWarningKind kind) =>
        counts[(path, reason, kind)] = counts.GetValueOrDefault((path, reason, kind)) + 1;
}
