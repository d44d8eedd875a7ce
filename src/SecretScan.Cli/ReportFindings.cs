// `revoke --from`: reads findings back from a JSON or SARIF report and recovers each raw secret, proven by its hash.
using System.Diagnostics;
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Cli;

/// <summary>What a report says about one finding; the secret itself only when the report was written with --no-redact.</summary>
internal sealed record ReportedFinding
{
    public required string RuleId { get; init; }

    public required string Path { get; init; }

    public int Line { get; init; }

    public int Column { get; init; }

    public int EndLine { get; init; }

    public int EndColumn { get; init; }

    public required string SecretHash { get; init; }

    public string Fingerprint { get; init; } = "";

    public string? Commit { get; init; }

    /// <summary>A value the report shows as the secret (usually redacted); used only when it hashes to <see cref="SecretHash"/>.</summary>
    public string? ShownSecret { get; init; }

    public string Where => $"{Path}:{Line}";
}

/// <summary>
/// Reports hold no secrets (unless written with --no-redact), so the secret is recovered, in this order: the report's
/// own value when it hashes to the recorded secret hash; the recorded span of the file under the root; any match of
/// the same rule in that file (the line may have moved); the file as of the recorded commit (history findings).
/// Nothing is acted on unless its hash equals the report's: a changed file or a forged report cannot redirect a revocation.
/// </summary>
internal static class ReportFindings
{
    /// <summary>Reads a JSON report (findings[]) or a SARIF log (runs[].results[]); the SARIF scan root comes back too.</summary>
    public static (IReadOnlyList<ReportedFinding> Findings, string? Root) Read(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: not a JSON or SARIF report: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: cannot read the report: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("runs", out var runs) && runs.ValueKind == JsonValueKind.Array)
            {
                return ReadSarif(runs);
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("findings", out var findings) && findings.ValueKind == JsonValueKind.Array)
            {
                return (findings.EnumerateArray().Select(ReadJsonFinding).ToArray(), null);
            }

            throw new UsageException($"{path}: neither a SecretScan JSON report (no \"findings\") nor a SARIF log (no \"runs\")");
        }
    }

    /// <summary>The raw secret of <paramref name="reported"/>, or null when no source still holds a value with its hash.</summary>
    public static string? Recover(ReportedFinding reported, Rule rule, string root)
    {
        if (reported.ShownSecret is { Length: > 0 } shown && SecretIdentity.HashSecret(shown) == reported.SecretHash)
        {
            return shown;
        }

        var file = InsideRoot(root, reported.Path);
        if (file is not null && File.Exists(file))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                text = "";
            }

            var span = Span(text, reported);
            if (span is not null && SecretIdentity.HashSecret(span) == reported.SecretHash)
            {
                return span;
            }

            if (Rescan(text, reported, rule) is { } moved)
            {
                return moved;
            }
        }

        return reported.Commit is { Length: > 0 } commit && GitShow(root, commit, reported.Path) is { } old
            ? Rescan(old, reported, rule)
            : null;
    }

    private static (IReadOnlyList<ReportedFinding>, string?) ReadSarif(JsonElement runs)
    {
        var findings = new List<ReportedFinding>();
        string? root = null;
        foreach (var run in runs.EnumerateArray())
        {
            // A report is input, not trusted: a member of the wrong shape reads as missing, as in the JSON reader.
            if (Str(Prop(Prop(run, "originalUriBaseIds"), "%SRCROOT%"), "uri") is { } uri && Uri.TryCreate(uri, UriKind.Absolute, out var rootUri) && rootUri.IsFile)
            {
                root ??= rootUri.LocalPath;
            }

            var results = Prop(run, "results");
            if (results.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                var locations = Prop(result, "locations");
                var location = Prop(locations.ValueKind == JsonValueKind.Array && locations.GetArrayLength() > 0 ? locations[0] : default, "physicalLocation");
                var region = Prop(location, "region");
                var fingerprints = Prop(result, "partialFingerprints");
                var properties = Prop(result, "properties");
                var message = Str(Prop(result, "message"), "text");
                var found = message?.LastIndexOf(" found: ", StringComparison.Ordinal) ?? -1;
                findings.Add(new ReportedFinding
                {
                    RuleId = Str(result, "ruleId") ?? "",
                    Path = Uri.UnescapeDataString(Str(Prop(location, "artifactLocation"), "uri") ?? ""),
                    Line = Int(region, "startLine"),
                    Column = Int(region, "startColumn"),
                    EndLine = Int(region, "endLine"),
                    EndColumn = Int(region, "endColumn"),
                    SecretHash = Str(fingerprints, "secretHash/v1") ?? "",
                    Fingerprint = Str(fingerprints, "primaryLocationLineHash") ?? "",
                    Commit = properties.ValueKind == JsonValueKind.Object ? Str(properties, "commit") : null,
                    ShownSecret = found >= 0 ? message!.Substring(found + " found: ".Length) : null,
                });
            }
        }

        return (findings, root);
    }

    private static ReportedFinding ReadJsonFinding(JsonElement f) => new()
    {
        RuleId = Str(f, "ruleId") ?? "",
        Path = Str(f, "path") ?? "",
        Line = Int(f, "line"),
        Column = Int(f, "column"),
        EndLine = Int(f, "endLine"),
        EndColumn = Int(f, "endColumn"),
        SecretHash = Str(f, "secretHash") ?? "",
        Fingerprint = Str(f, "fingerprint") ?? "",
        Commit = Str(f, "commit"),
        ShownSecret = Str(f, "secret"),
    };

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

    /// <summary>The member <paramref name="name"/>, or an undefined element when <paramref name="e"/> is no object or lacks it.</summary>
    private static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    /// <summary>The report's path under the root, or null when it would leave the root (a report is input, not trusted).</summary>
    private static string? InsideRoot(string root, string relative)
    {
        if (relative.Length == 0 || System.IO.Path.IsPathRooted(relative))
        {
            return null;
        }

        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
        var rootFull = System.IO.Path.GetFullPath(root).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        return full.StartsWith(rootFull, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The text between the 1-based (line, column) and (endLine, endColumn) the report recorded, in UTF-16 units.</summary>
    private static string? Span(string text, ReportedFinding f)
    {
        var start = Offset(text, f.Line, f.Column);
        var end = Offset(text, f.EndLine, f.EndColumn);
        return start is { } s && end is { } e && e > s ? text.Substring(s, e - s) : null;
    }

    private static int? Offset(string text, int line, int column)
    {
        if (line < 1 || column < 1)
        {
            return null;
        }

        var offset = 0;
        for (var l = 1; l < line; l++)
        {
            var next = text.IndexOf('\n', offset);
            if (next < 0)
            {
                return null;
            }

            offset = next + 1;
        }

        var at = offset + column - 1;
        return at <= text.Length ? at : null;
    }

    private static string? Rescan(string text, ReportedFinding reported, Rule rule)
    {
        var scanner = new Scanner(RuleSet.Create(new[] { rule }, new RuleSetOptions { CompileRegexes = false }));
        return scanner.Scan(new TextFragment(text, reported.Path)).Findings.FirstOrDefault(f => f.SecretHash == reported.SecretHash)?.Secret;
    }

    /// <summary>The file as of <paramref name="commit"/>, through git itself (no shell); null when git cannot tell.</summary>
    private static string? GitShow(string root, string commit, string path)
    {
        if (!commit.All(Uri.IsHexDigit))
        {
            return null;
        }

        try
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-C", root, "show", commit + ":" + path })
            {
                start.ArgumentList.Add(arg);
            }

            using var git = Process.Start(start)!;
            var stderr = git.StandardError.ReadToEndAsync();
            var text = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            _ = stderr.Result;
            return git.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
