// End-to-end tests of `secretscan scan` through the real process: exit codes, formats, redaction, hostile input.
using System.Text;
using System.Text.Json;
using SecretScan.Core.Validation;

namespace SecretScan.Cli.Tests;

public class ScanCommandTests
{
    private static readonly Random Rng = new();

    private static string NewGitHubToken() => ExampleTemplates.Expand("{{github:ghp_}}", Rng);

    [Fact]
    public void Clean_folder_exits_0()
    {
        using var dir = new TempFolder();
        dir.Write("src/app.py", "print('hello')\nTIMEOUT = 30\n");
        var r = CliProcess.Run(dir.Path, "scan", ".", "--no-progress");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("0 findings", r.StdOut);
    }

    [Fact]
    public void Secret_is_found_and_redacted_in_every_format()
    {
        using var dir = new TempFolder();
        var token = NewGitHubToken();
        dir.Write("deploy/settings.env", $"# deploy settings\nGITHUB_TOKEN={token}\n");
        foreach (var format in new[] { "text", "json", "sarif" })
        {
            var r = CliProcess.Run(dir.Path, "scan", dir.Path, "--format", format);
            Assert.Equal(1, r.ExitCode);
            Assert.DoesNotContain(token, r.StdOut);
            Assert.DoesNotContain(token, r.StdErr);
            Assert.Contains("deploy/settings.env", r.StdOut);
        }

        var json = JsonDocument.Parse(CliProcess.Run(dir.Path, "scan", ".", "--format", "json").StdOut);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("deploy/settings.env", finding.GetProperty("path").GetString());
        Assert.Equal(2, finding.GetProperty("line").GetInt32());
        Assert.Equal(14, finding.GetProperty("column").GetInt32());
        Assert.Equal("checksumvalid", finding.GetProperty("validation").GetString()!.Replace("_", "").Replace("-", "").ToLowerInvariant());
    }

    [Fact]
    public void No_redact_prints_the_secret_and_warns()
    {
        using var dir = new TempFolder();
        var token = NewGitHubToken();
        dir.Write("a.txt", $"token: {token}\n");
        var r = CliProcess.Run(dir.Path, "scan", ".", "--no-redact", "--format", "json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(token, r.StdOut);
        Assert.Contains("--no-redact", r.StdErr);
    }

    [Fact]
    public void Sarif_goes_to_the_output_file_with_relative_uris()
    {
        using var dir = new TempFolder();
        dir.Write("my dir/ключ.json", $"{{ \"token\": \"{NewGitHubToken()}\" }}");
        var output = Path.Combine(dir.Path, "out.sarif");
        var r = CliProcess.Run(dir.Path, "scan", ".", "--format", "sarif", "--output", output, "--exclude", "out.sarif");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.StdOut);
        using var sarif = JsonDocument.Parse(File.ReadAllText(output));
        var run = sarif.RootElement.GetProperty("runs")[0];
        var location = run.GetProperty("results")[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        var uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
        Assert.Equal("my dir/ключ.json", Uri.UnescapeDataString(uri));
        Assert.DoesNotContain(" ", uri);
        Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public void Include_and_exclude_globs_select_files()
    {
        using var dir = new TempFolder();
        dir.Write("src/a.cs", $"var t = \"{NewGitHubToken()}\";");
        dir.Write("vendor/lib/b.js", $"const t = '{NewGitHubToken()}';");
        dir.Write("docs/c.md", $"`{NewGitHubToken()}`");
        string[] Paths(params string[] extra)
        {
            var r = CliProcess.Run(dir.Path, new[] { "scan", ".", "--format", "json" }.Concat(extra).ToArray());
            return JsonDocument.Parse(r.StdOut).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToArray();
        }

        Assert.Equal(new[] { "docs/c.md", "src/a.cs", "vendor/lib/b.js" }, Paths());
        Assert.Equal(new[] { "docs/c.md", "src/a.cs" }, Paths("--exclude", "vendor"));
        Assert.Equal(new[] { "src/a.cs" }, Paths("--include", "src/**/*.cs"));
        Assert.Equal(new[] { "src/a.cs", "vendor/lib/b.js" }, Paths("--exclude", "**/*.md"));
    }

    [Fact]
    public void Binary_files_are_skipped_and_invalid_utf8_is_still_scanned()
    {
        using var dir = new TempFolder();
        var inBinary = NewGitHubToken();
        File.WriteAllBytes(Path.Combine(dir.Path, "blob.bin"), Encoding.ASCII.GetBytes("\0\0\u0001PK" + inBinary).Concat(new byte[] { 0, 0xFF }).ToArray());
        var invalid = new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0x0A }.Concat(Encoding.ASCII.GetBytes("key = " + NewGitHubToken() + "\n")).ToArray();
        File.WriteAllBytes(Path.Combine(dir.Path, "broken.txt"), invalid);
        File.WriteAllBytes(Path.Combine(dir.Path, "utf16.txt"), Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("line\r\nkey = " + NewGitHubToken())).ToArray());
        var r = CliProcess.Run(dir.Path, "scan", ".", "--format", "json");
        var doc = JsonDocument.Parse(r.StdOut).RootElement;
        var found = doc.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("path").GetString()!, f.GetProperty("line").GetInt32())).ToArray();
        Assert.Equal(new[] { ("broken.txt", 2), ("utf16.txt", 2) }, found);
        Assert.Contains(doc.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("path").GetString() == "blob.bin" && w.GetProperty("message").GetString()!.Contains("binary"));
        Assert.Equal(1, r.ExitCode);
    }

    [Fact]
    public void Files_over_the_size_limit_are_skipped_and_reported()
    {
        using var dir = new TempFolder();
        dir.Write("big.txt", new string('a', 4096) + "\n" + NewGitHubToken());
        var r = CliProcess.Run(dir.Path, "scan", ".", "--max-file-size", "1KB", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var warnings = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("warnings").EnumerateArray();
        Assert.Contains(warnings, w => w.GetProperty("message").GetString()!.Contains("size limit"));
    }

    [Fact]
    public void Large_single_line_file_is_streamed_and_secrets_near_window_edges_are_found_once()
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "huge.min.js");
        var tokens = new List<string>();
        using (var w = new StreamWriter(path))
        {
            // ~20 MB on one line, with a token every ~1 MB: some land across the 8 MB window boundaries.
            var filler = new string('x', 1023) + ';';
            for (var mb = 0; mb < 20; mb++)
            {
                for (var k = 0; k < 1000; k++)
                {
                    w.Write(filler);
                }

                var t = NewGitHubToken();
                tokens.Add(t);
                w.Write("var t" + mb + "='" + t + "';");
            }
        }

        var r = CliProcess.Run(dir.Path, "scan", ".", "--format", "json", "--max-file-size", "0");
        Assert.Equal(1, r.ExitCode);
        var findings = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("findings").EnumerateArray().ToArray();
        Assert.Equal(tokens.Count, findings.Length);
        Assert.All(findings, f => Assert.Equal(1, f.GetProperty("line").GetInt32()));
    }

    [Fact]
    public void Symlink_loops_and_links_out_of_the_root_are_not_followed()
    {
        using var outside = new TempFolder();
        outside.Write("secret.txt", "token " + NewGitHubToken());
        using var dir = new TempFolder();
        dir.Write("inner/ok.txt", "nothing here");
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "inner", "loop"), dir.Path);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "escape"), outside.Path);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "leak.txt"), Path.Combine(outside.Path, "secret.txt"));
        var r = CliProcess.Run(dir.Path, TimeSpan.FromSeconds(60), "scan", ".", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var warnings = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("path").GetString()).ToArray();
        Assert.Equal(new[] { "escape", "inner/loop", "leak.txt" }, warnings.Order().ToArray());
    }

    [Fact]
    public void Fifo_does_not_block_the_scan()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempFolder();
        dir.Write("a.txt", "key " + NewGitHubToken());
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(dir.Path, "pipe")))
        {
            mkfifo.WaitForExit();
        }

        var r = CliProcess.Run(dir.Path, TimeSpan.FromSeconds(60), "scan", ".", "--format", "json");
        Assert.Equal(1, r.ExitCode);
    }

    [Fact]
    public void Invalid_config_is_one_line_naming_file_and_line_with_exit_2()
    {
        using var dir = new TempFolder();
        dir.Write(".secretscan.yaml", "allow:\n  pathz: ['x']\n");
        var r = CliProcess.Run(dir.Path, "scan", ".");
        Assert.Equal(2, r.ExitCode);
        Assert.Matches(@"^secretscan: error: .*\.secretscan\.yaml:2: unknown allow field 'pathz'", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public void Rule_with_invalid_regex_is_named_with_exit_2()
    {
        using var dir = new TempFolder();
        var config = dir.Write("custom.yaml", "rules:\n  - id: ACME1\n    name: acme\n    keywords: [acme]\n    pattern: 'acme(['\n");
        var r = CliProcess.Run(dir.Path, "scan", ".", "--config", config);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("rule ACME1 (acme): invalid regex", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void Catastrophic_user_regex_times_out_and_the_scan_finishes_with_other_findings()
    {
        using var dir = new TempFolder();
        var config = dir.Write("evil.yaml", "rules:\n  - id: EVIL1\n    name: evil\n    keywords: [aaaa]\n    pattern: '(a+)+$'\n");
        dir.Write("hostile.txt", new string('a', 20000) + "!\n");
        dir.Write("real.txt", "gh " + NewGitHubToken());
        var r = CliProcess.Run(dir.Path, TimeSpan.FromSeconds(90), "scan", ".", "--config", config, "--regex-timeout", "200", "--format", "json", "--exclude", "evil.yaml");
        Assert.Equal(1, r.ExitCode);
        var doc = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.Single(doc.GetProperty("findings").EnumerateArray());
        Assert.Contains(doc.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("path").GetString() == "hostile.txt" && w.GetProperty("message").GetString()!.Contains("EVIL1"));
    }

    [Fact]
    public void Fail_on_ignores_findings_below_the_threshold()
    {
        using var dir = new TempFolder();
        dir.Write(".secretscan.yaml", "rules:\n  - id: LOW1\n    name: low-thing\n    severity: low\n    keywords: [lowthing]\n    pattern: 'lowthing=([a-z]{6})'\n    secret_group: 1\n");
        dir.Write("b.txt", "lowthing=qwerty");
        Assert.Equal(1, CliProcess.Run(dir.Path, "scan", ".").ExitCode);
        Assert.Equal(0, CliProcess.Run(dir.Path, "scan", ".", "--fail-on", "medium").ExitCode);
    }

    [Theory]
    [InlineData("scan", "--format", "xml")]
    [InlineData("scan", "--no-such-flag")]
    [InlineData("scan", "does/not/exist")]
    [InlineData("scan", ".", "--threads", "0")]
    public void Bad_usage_exits_2_without_a_stack_trace(params string[] args)
    {
        using var dir = new TempFolder();
        var r = CliProcess.Run(dir.Path, args);
        Assert.Equal(2, r.ExitCode);
        Assert.NotEqual("", r.StdErr.Trim());
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void Unwritable_output_is_an_error_with_exit_2()
    {
        using var dir = new TempFolder();
        dir.Write("a.txt", "nothing");
        var r = CliProcess.Run(dir.Path, "scan", ".", "--output", Path.Combine(dir.Path, "no", "such", "dir", "out.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cannot write the report", r.StdErr);
    }
}
