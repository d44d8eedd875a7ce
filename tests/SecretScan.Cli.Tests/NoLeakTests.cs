// The tool must not become the leak: every byte any command writes (reports, baselines, errors, progress, temp files) is searched for every planted secret.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecretScan.Core;
using SecretScan.Core.Generated;
using SecretScan.Core.Validation;
using SecretScan.Rules.Yaml;

namespace SecretScan.Cli.Tests;

public sealed class NoLeakTests : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "secretscan.dll");

    private readonly TempFolder work = new();
    private readonly string corpus;
    private readonly string output;
    private readonly string tmp;
    private readonly List<(string What, byte[] Bytes)> written = new();

    public NoLeakTests()
    {
        corpus = Path.Combine(work.Path, "corpus");
        output = Path.Combine(work.Path, "out");
        tmp = Path.Combine(work.Path, "tmp");
        Directory.CreateDirectory(corpus);
        Directory.CreateDirectory(output);
        Directory.CreateDirectory(tmp);
    }

    public void Dispose() => work.Dispose();

    [Fact]
    public void No_output_of_any_command_holds_a_planted_secret_and_no_redact_shows_them_with_a_warning()
    {
        var secrets = PlantCorpus();
        Assert.True(secrets.Count >= 200, $"only {secrets.Count} planted secrets");
        var planted = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).ToHashSet();

        // Folder scans in every format to standard output; a report file goes through the same writers, so one will do.
        // (The text report goes to a terminal below, with the progress line.)
        var json = Run("scan", ".", "--format", "json");
        Run("scan", ".", "--format", "sarif");
        Run("scan", ".", "--format", "sarif", "--output", Path.Combine(output, "report.sarif"));
        Run("baseline", "create", ".", "--output", Path.Combine(output, "baseline"));

        // The engine found what was planted (else this test proves nothing).
        using (var doc = JsonDocument.Parse(json))
        {
            var hashes = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("secretHash").GetString()).ToHashSet();
            var seen = secrets.Count(s => hashes.Contains(SecretIdentity.HashSecret(s)));
            Assert.True(seen >= secrets.Count * 9 / 10, $"the CLI found {seen} of {secrets.Count} planted secrets");
        }

        // Git: history (with secrets that are gone from HEAD), staged changes, a history baseline.
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("commit", "-q", "-m", "corpus");
        foreach (var f in Directory.GetFiles(Path.Combine(corpus, "rules")).Where((_, i) => i % 2 == 0))
        {
            File.Delete(f);
        }

        Git("add", "-A");
        Git("commit", "-q", "-m", "remove half");
        var staged = Path.Combine(corpus, "staged.env");
        var stagedSecret = ExampleTemplates.Expand("{{github:ghp_}}", new Random());
        File.WriteAllText(staged, $"GITHUB_TOKEN={stagedSecret}\n");
        secrets.Add(stagedSecret);
        Git("add", "staged.env");
        Run("scan", "--git", ".", "--format", "json");
        Run("scan", "--staged", ".", "--format", "text");
        Run("scan", "--staged", ".", "--format", "sarif");
        Run("scan", "--git", ".", "--format", "sarif", "--output", Path.Combine(output, "history.sarif"));
        Run("baseline", "create", ".", "--git", "--output", Path.Combine(output, "baseline-git"));

        // The progress line only draws on a terminal: script(1) gives the process one (and the text reports go there).
        Terminal("scan", ".");
        Terminal("scan", "--git", ".");

        // Error paths with a secret in the bad input: config, rule file, allowlist regex, baseline.
        // Each case its own secret: a secret is reported once, at the first output that holds it.
        var bad = secrets.Take(6).ToArray();
        Run("scan", ".", "--config", Write(Path.Combine(output, "bad1.yaml"), $"allow:\n  stopwords: [{bad[0]}\n"));
        Run("scan", ".", "--config", Write(Path.Combine(output, "bad2.yaml"), $"{bad[1]}: 1\n"));
        Run("scan", ".", "--config", Write(Path.Combine(output, "bad3.yaml"), $"allow:\n  patterns: ['{bad[2]}(']\n"));
        Run("scan", ".", "--config", Write(Path.Combine(output, "bad4.yaml"), $"allow:\n  {bad[3]}: [x]\n"));
        Run("scan", ".", "--rules", Write(Path.Combine(output, "bad5.yaml"), $"rules:\n  - id: X1\n    name: x\n    keywords: [x]\n    pattern: '{bad[4]}(['\n"));
        Run("scan", ".", "--baseline", Write(Path.Combine(output, "bad-baseline"), $"# secretscan baseline\n{bad[5]} {bad[5]}\n"), "--format", "json");

        // Everything the tool wrote: outputs, new files in the scanned tree (a .tmp left behind...), its TMPDIR.
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith("bad", StringComparison.Ordinal)))
        {
            written.Add(("file " + Path.GetFileName(file), File.ReadAllBytes(file)));
        }

        foreach (var file in Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Where(f => !planted.Contains(f) && f != staged && !f.Contains("/.git/", StringComparison.Ordinal)))
        {
            written.Add(("new file in the tree " + file, File.ReadAllBytes(file)));
        }

        foreach (var file in Directory.EnumerateFiles(tmp, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f) is { LinkTarget: null } i && (i.Attributes & FileAttributes.Device) == 0))
        {
            try
            {
                written.Add(("TMPDIR " + file, File.ReadAllBytes(file)));
            }
            catch (IOException)
            {
                // Sockets and pipes of the .NET diagnostics server live here too; they hold no data.
            }
        }

        var leaks = Leaks(secrets);
        Assert.True(leaks.Count == 0, "planted secrets in the tool's output:\n" + string.Join("\n", leaks.Take(20)));
        Assert.True(written.Count > 20, $"only {written.Count} outputs were checked");

        // --no-redact is the one way to see them, and it says so.
        written.Clear();
        var shown = Run("scan", "--git", ".", "--format", "json", "--no-redact");
        Assert.Contains(written, w => w.What.EndsWith("stderr", StringComparison.Ordinal) && Encoding.UTF8.GetString(w.Bytes).Contains("--no-redact", StringComparison.Ordinal));
        var visible = Leaks(secrets);
        Assert.True(visible.Count >= secrets.Count * 9 / 10, $"--no-redact showed only {visible.Count} of {secrets.Count} secrets; output starts {shown[..Math.Min(500, shown.Length)]}");
    }

    /// <summary>Writes a corpus from every rule's examples (fresh fakes), plus URL passwords, PEM keys and two secrets on one line; returns the secrets the engine finds in it.</summary>
    private List<string> PlantCorpus()
    {
        var rng = new Random(20261129 ^ Environment.TickCount);
        var rules = RuleFileLoader.LoadPath(Path.Combine(RulesCommandTests.FindRepositoryRoot(), "rules"));
        Directory.CreateDirectory(Path.Combine(corpus, "rules"));
        foreach (var rule in rules.Where(r => r.Examples.Count > 0))
        {
            var text = new StringBuilder();
            foreach (var example in rule.Examples)
            {
                text.Append(ExampleTemplates.Expand(example, rng)).Append("\n\n");
            }

            File.WriteAllText(Path.Combine(corpus, "rules", rule.Id + ".txt"), text.ToString());
        }

        File.WriteAllText(Path.Combine(corpus, "urls.env"), string.Concat(Enumerable.Range(0, 5).Select(i =>
            $"DATABASE_URL=postgres://app_user:{ExampleTemplates.Expand("{{alnum:24}}", rng)}@db{i}.internal.example.net:5432/orders\n" +
            $"MONGO_URL=mongodb://svc:{ExampleTemplates.Expand("{{alnum:20}}", rng)}@mongo{i}.example.net:27017/app\n")));
        File.WriteAllText(Path.Combine(corpus, "keys.pem"), ExampleTemplates.Expand("{{pem:rsa}}\n{{pem:ec}}\n{{pem:pkcs8}}\n{{pem:openssh}}\n", rng));
        File.WriteAllText(Path.Combine(corpus, "one-line.env"), ExampleTemplates.Expand(
            "export GITHUB_TOKEN={{github:ghp_}} NPM_TOKEN={{npm}} OTHER={{github:gho_}} # three on one line\n", rng));

        var scanner = new Scanner(RuleSet.Create(BuiltInRules.All, new RuleSetOptions()));
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(corpus, file).Replace('\\', '/');
            foreach (var f in scanner.Scan(new TextFragment(File.ReadAllText(file), rel)).Findings)
            {
                // Shorter values (a 6-digit PIN) are too likely to occur by chance in a report to tell a leak.
                if (f.Secret.Length >= 12)
                {
                    secrets.Add(f.Secret);
                }
            }
        }

        return secrets.ToList();
    }

    /// <summary>For each secret, the first output holding it whole, or holding the part that redaction hides (JSON escapes decoded).</summary>
    private List<string> Leaks(IReadOnlyList<string> secrets)
    {
        var views = written.Select(w => (w.What, Text: Decode(w.Bytes))).ToArray();
        var leaks = new List<string>();
        foreach (var secret in secrets)
        {
            // The whole secret; its last 12 characters (past what redaction shows; the random end, where prefixes are
            // fixed text that help pages quote); each line of a multi-line secret's body (a PEM line in a snippet).
            var needles = new List<string> { secret };
            var body = Regex.Replace(secret, @"-----[A-Z0-9 ]+-----|\\[nr]|\s", "");
            if (body.Length >= 24)
            {
                needles.Add(body[^12..]);
            }

            needles.AddRange(Regex.Split(secret, @"\n|\\n").Select(l => l.Trim()).Where(l => l.Length >= 16 && !l.Any(char.IsWhiteSpace) && !l.Contains("-----", StringComparison.Ordinal)));
            foreach (var (what, text) in views)
            {
                var hit = needles.FirstOrDefault(n => text.Contains(n, StringComparison.Ordinal));
                if (hit is not null)
                {
                    var at = text.IndexOf(hit, StringComparison.Ordinal);
                    leaks.Add($"{SecretIdentity.Redact(secret)} in {what}: ...{text.Substring(Math.Max(0, at - 60), Math.Min(60, at)).ReplaceLineEndings(" ")}[HERE]");
                    break;
                }
            }
        }

        return leaks;
    }

    /// <summary>The bytes as UTF-8 text, plus every string value decoded when they are JSON (so \u002B escapes cannot hide a secret).</summary>
    private static string Decode(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var sb = new StringBuilder(text).Append('\n');
                Strings(doc.RootElement, sb);
                return sb.ToString();
            }
            catch (JsonException)
            {
            }
        }

        return text;
    }

    private static void Strings(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                sb.Append(e.GetString()).Append('\n');
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    sb.Append(p.Name).Append('\n');
                    Strings(p.Value, sb);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Strings(item, sb);
                }

                break;
        }
    }

    private static string Write(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs the CLI in the corpus with a fresh TMPDIR; keeps its stdout and stderr bytes; returns stdout.</summary>
    private string Run(params string[] args)
    {
        var start = Start("dotnet", new[] { Dll }.Concat(args));
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var copyOut = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var copyErr = p.StandardError.BaseStream.CopyToAsync(stderr);
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "secretscan " + string.Join(' ', args) + " hung");
        Task.WaitAll(copyOut, copyErr);
        var what = "secretscan " + string.Join(' ', args.Select(a => a.Length > 40 ? Path.GetFileName(a) : a));
        written.Add((what + " stdout", stdout.ToArray()));
        written.Add((what + " stderr", stderr.ToArray()));
        Assert.True(p.ExitCode is 0 or 1 or 2, $"{what}: exit {p.ExitCode}");
        Assert.DoesNotContain("Unhandled exception", Encoding.UTF8.GetString(stderr.ToArray()));
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    /// <summary>Runs the CLI under script(1), so standard error is a terminal and the progress line draws; keeps the whole typescript.</summary>
    private void Terminal(params string[] args)
    {
        var log = Path.Combine(output, $"terminal-{written.Count}.log");
        var command = string.Join(' ', new[] { "dotnet", Dll }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var start = Start("script", new[] { "-q", "-e", "-c", command, log });
        start.Environment.Remove("NO_COLOR");
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "script " + command + " hung");
        Assert.True(File.Exists(log) && new FileInfo(log).Length > 0, "script wrote no typescript");
    }

    private ProcessStartInfo Start(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = corpus,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TMPDIR"] = tmp;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        return start;
    }

    private void Git(params string[] args)
    {
        var start = Start("git", new[] { "-c", "user.name=Test", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false" }.Concat(args));
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {err.Result}");
    }
}
