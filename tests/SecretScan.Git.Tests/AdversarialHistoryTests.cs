// Hostile repositories through the real CLI: 100,000 refs, a 100,000-file commit, a deep delta chain, corrupt and truncated packs, odd paths.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SecretScan.Core;

namespace SecretScan.Git.Tests;

/// <summary>Sizes scale with SECRETSCAN_ADVERSARIAL_SCALE like the folder cases (unset = small, `full` = issue 7's sizes, or a fraction).</summary>
public class AdversarialHistoryTests
{
    private static readonly double? Scale = Environment.GetEnvironmentVariable("SECRETSCAN_ADVERSARIAL_SCALE")?.Trim().ToLowerInvariant() switch
    {
        null or "" or "small" => null,
        "full" => 1.0,
        var v => double.Parse(v, CultureInfo.InvariantCulture),
    };

    [Fact]
    public void Repository_with_a_hundred_thousand_refs_is_scanned()
    {
        using var repo = new TestRepo();
        var token = Fakes.GitHubToken();
        FastImport(repo, new[] { ("refs/heads/main", "planted", new[] { ("planted.env", $"GITHUB_TOKEN={token}\n") }) });
        var head = repo.Git("rev-parse", "HEAD");
        var count = Count(2_000, 100_000);
        var refs = new StringBuilder("# pack-refs with: peeled fully-peeled sorted \n");
        for (var i = 0; i < count; i++)
        {
            refs.Append(head).Append(" refs/tags/t").Append(i.ToString("D6", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(Path.Combine(repo.Path, ".git", "packed-refs"), refs.ToString());
        var r = Scan(repo.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(token), r.Hashes);
    }

    [Fact]
    public void Commit_with_a_hundred_thousand_files_is_scanned()
    {
        using var repo = new TestRepo();
        var token = Fakes.GitHubToken();
        var count = Count(3_000, 100_000);
        var files = Enumerable.Range(0, count).Select(i => ($"d{i / 1000:D3}/f{i:D6}.txt", $"x = {i}\n"))
            .Append(("zz/planted.env", $"GITHUB_TOKEN={token}\n")).ToArray();
        FastImport(repo, new[] { ("refs/heads/main", "wide", files) });
        var r = Scan(repo.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(token), r.Hashes);
    }

    [Fact]
    public void Deep_delta_chain_is_read_and_the_secret_in_the_middle_version_found()
    {
        using var repo = new TestRepo();
        var token = Fakes.GitHubToken();
        var versions = Count(300, 5_000);
        var rng = new Random(11);
        var lines = Enumerable.Range(0, 400).Select(i => $"line {i} {rng.NextInt64():x}\n").ToArray();
        var commits = new List<(string, string, (string, string)[])>();
        for (var v = 0; v < versions; v++)
        {
            // One random line changes per version: each version is closest to its neighbours, so repack chains them deep.
            lines[rng.Next(lines.Length)] = $"changed {v} {rng.NextInt64():x}\n";
            if (v == versions / 2)
            {
                lines[rng.Next(lines.Length)] = $"key = {token}\n";
            }

            commits.Add(("refs/heads/main", $"v{v}", new[] { ("grow.txt", string.Concat(lines)) }));
        }

        FastImport(repo, commits);
        repo.Git("repack", "-adfq", "--depth=4095", "--window=10");
        var pack = Directory.GetFiles(Path.Combine(repo.Path, ".git", "objects", "pack"), "*.idx").Single();
        var depth = repo.Git("verify-pack", "-v", pack).Split('\n')
            .Where(l => l.StartsWith("chain length = ", StringComparison.Ordinal))
            .Max(l => int.Parse(l["chain length = ".Length..l.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture));
        Assert.True(depth > versions / 10, $"delta chain only {depth} deep");

        var r = Scan(repo.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(token), r.Hashes);
    }

    [Fact]
    public void Corrupt_packed_blob_and_garbage_loose_object_are_counted_errors_and_the_rest_is_reported()
    {
        using var repo = new TestRepo();
        var packedLost = Fakes.GitHubToken();
        var good = Fakes.GitHubToken();
        var filler = Enumerable.Range(0, 200).Select(i => ($"f{i:D4}.txt", $"x = {i} {Guid.NewGuid():N}{Guid.NewGuid():N}\n"));
        FastImport(repo, new[] { ("refs/heads/main", "packed", filler.Append(("packed.env", $"K={packedLost}\n")).ToArray()) });
        repo.Git("repack", "-adq");

        // Garbage inside one packed blob's zlib stream; the pack keeps its size, so git still opens it.
        var blob = repo.Git("rev-parse", "HEAD:packed.env");
        var idx = Directory.GetFiles(Path.Combine(repo.Path, ".git", "objects", "pack"), "*.idx").Single();
        var offset = long.Parse(repo.Git("verify-pack", "-v", idx).Split('\n').First(l => l.StartsWith(blob, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[4], CultureInfo.InvariantCulture);
        using (var pack = new FileStream(Path.ChangeExtension(idx, ".pack"), FileMode.Open, FileAccess.ReadWrite))
        {
            pack.Position = offset + 4;
            pack.Write(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF });
        }

        // A second branch: one good loose blob, one loose object that is not zlib at all.
        repo.Write("good.env", $"GITHUB_TOKEN={good}\n");
        repo.Write("lost.env", $"GITHUB_TOKEN={Fakes.GitHubToken()}\n");
        var goodBlob = repo.Git("hash-object", "-w", "good.env");
        var lostBlob = repo.Git("hash-object", "-w", "lost.env");
        var loose = Path.Combine(repo.Path, ".git", "objects", lostBlob[..2], lostBlob[2..]);
        File.SetAttributes(loose, FileAttributes.Normal);
        File.WriteAllBytes(loose, Encoding.ASCII.GetBytes("not a zlib stream"));
        var tree = GitWithInput(repo.Path, $"100644 blob {goodBlob}\tgood.env\n100644 blob {lostBlob}\tlost.env\n", "mktree", "--missing");
        var commit = repo.Git("commit-tree", tree, "-m", "loose");
        repo.Git("update-ref", "refs/heads/loose", commit);
        File.Delete(Path.Combine(repo.Path, "good.env"));
        File.Delete(Path.Combine(repo.Path, "lost.env"));

        var r = Scan(repo.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(good), r.Hashes);
        Assert.Equal(2, r.Errors);
        Assert.Contains(r.Warnings, w => w.Kind == "error" && w.Path == "packed.env");
        Assert.Contains(r.Warnings, w => w.Kind == "error" && w.Path == "lost.env");
    }

    [Fact]
    public void Truncated_pack_that_hides_a_ref_is_a_counted_error_and_the_readable_history_is_reported()
    {
        using var repo = new TestRepo();
        var packedLost = Fakes.GitHubToken();
        var onTop = Fakes.GitHubToken();
        var apart = Fakes.GitHubToken();
        var files = Enumerable.Range(0, 200).Select(i => ($"f{i:D4}.txt", $"{Guid.NewGuid():N}{Guid.NewGuid():N}\n")).Append(("packed.env", $"K={packedLost}\n")).ToArray();
        FastImport(repo, new[] { ("refs/heads/main", "packed", files) });
        repo.Git("repack", "-adq");

        // Loose objects, outside the pack: a branch built on main's (soon unreadable) commit, and an unrelated one.
        var main = repo.Git("rev-parse", "refs/heads/main");
        repo.Write("on-top.env", $"GITHUB_TOKEN={onTop}\n");
        var onTopBlob = repo.Git("hash-object", "-w", "on-top.env");
        var onTopTree = GitWithInput(repo.Path, $"100644 blob {onTopBlob}\ton-top.env\n", "mktree");
        repo.Git("update-ref", "refs/heads/on-top", repo.Git("commit-tree", onTopTree, "-p", main, "-m", "on top"));
        repo.Write("apart.env", $"GITHUB_TOKEN={apart}\n");
        var apartBlob = repo.Git("hash-object", "-w", "apart.env");
        var apartTree = GitWithInput(repo.Path, $"100644 blob {apartBlob}\tapart.env\n", "mktree");
        repo.Git("update-ref", "refs/heads/apart", repo.Git("commit-tree", apartTree, "-m", "apart"));
        File.Delete(Path.Combine(repo.Path, "on-top.env"));
        File.Delete(Path.Combine(repo.Path, "apart.env"));

        var pack = Path.ChangeExtension(Directory.GetFiles(Path.Combine(repo.Path, ".git", "objects", "pack"), "*.idx").Single(), ".pack");
        File.SetAttributes(pack, FileAttributes.Normal);
        using (var s = new FileStream(pack, FileMode.Open))
        {
            s.SetLength(s.Length * 2 / 3);
        }

        // git refuses the whole pack: main's commit (HEAD) and its blobs cannot be read; the loose history can.
        var r = Scan(repo.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(apart), r.Hashes);
        Assert.Contains(SecretIdentity.HashSecret(onTop), r.Hashes);
        Assert.DoesNotContain(SecretIdentity.HashSecret(packedLost), r.Hashes);
        Assert.Contains(r.Warnings, w => w.Kind == "error" && w.Message.StartsWith("refs/heads/main: its commit " + main, StringComparison.Ordinal) && w.Message.Contains("does not match index", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Kind == "error" && w.Message.Contains($"its parent {main} cannot be read", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Kind == "error" && w.Message.StartsWith("HEAD: ", StringComparison.Ordinal));
        Assert.Equal(r.Warnings.Count(w => w.Kind == "error"), r.Errors);
        Assert.DoesNotContain("   at ", r.StdErr);
        Assert.Contains("refs/heads/main", r.StdErr);
    }

    [Fact]
    public void Broken_ref_next_to_a_good_branch_is_a_counted_error_and_the_good_branch_secret_is_found()
    {
        using var repo = new TestRepo();
        var token = Fakes.GitHubToken();
        FastImport(repo, new[] { ("refs/heads/main", "good", new[] { ("planted.env", $"GITHUB_TOKEN={token}\n"), ("readme.txt", "hello\n") }) });

        // A ref naming a commit this repository does not have (a botched fetch, a deleted object).
        var ghost = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
        File.WriteAllText(Path.Combine(repo.Path, ".git", "refs", "heads", "broken"), ghost + "\n");

        var r = Scan(repo.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(token), r.Hashes);
        Assert.Equal(1, r.Errors);
        var error = Assert.Single(r.Warnings, w => w.Kind == "error");
        Assert.StartsWith($"refs/heads/broken: its commit {ghost} cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_commit_deep_in_history_is_cut_off_and_both_sides_are_scanned()
    {
        using var repo = new TestRepo();
        var older = Fakes.GitHubToken();
        var newer = Fakes.GitHubToken();
        var sideline = Fakes.GitHubToken();
        FastImport(repo, new[]
        {
            ("refs/heads/main", "c1", new[] { ("old.env", $"GITHUB_TOKEN={older}\n") }),
            ("refs/heads/main", "c2", new[] { ("two.txt", "two\n") }),
            ("refs/heads/main", "c3", new[] { ("new.env", $"GITHUB_TOKEN={newer}\n") }),
            ("refs/heads/main", "c4", new[] { ("four.txt", "four\n") }),
        });
        var c1 = repo.Git("rev-parse", "main~3");
        var c2 = repo.Git("rev-parse", "main~2");
        var c3 = repo.Git("rev-parse", "main~1");
        repo.Git("update-ref", "refs/heads/side", c1);
        repo.Git("checkout", "-q", "-f", "side");
        repo.Write("side.env", $"GITHUB_TOKEN={sideline}\n");
        repo.Commit("side");
        repo.Git("checkout", "-q", "-f", "main");

        // fast-import leaves so few objects loose (fastimport.unpackLimit): one commit object can simply go.
        var c2File = Path.Combine(repo.Path, ".git", "objects", c2[..2], c2[2..]);
        File.SetAttributes(c2File, FileAttributes.Normal);
        File.Delete(c2File);

        var r = Scan(repo.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(newer), r.Hashes);
        Assert.Contains(SecretIdentity.HashSecret(older), r.Hashes);
        Assert.Contains(SecretIdentity.HashSecret(sideline), r.Hashes);
        var error = Assert.Single(r.Warnings, w => w.Kind == "error");
        Assert.StartsWith($"commit {c3}: its parent {c2} cannot be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, r.Errors);
    }

    [Fact]
    public void Very_long_and_non_UTF8_paths_in_history_are_scanned()
    {
        using var repo = new TestRepo();
        var longToken = Fakes.GitHubToken();
        var latin1Token = Fakes.GitHubToken();
        var longPath = string.Join('/', Enumerable.Range(0, 20).Select(i => $"n{i:D2}" + new string('p', 240))) + "/x.env";
        Assert.True(longPath.Length > 4096);
        var stream = new MemoryStream();
        void Put(string s) => stream.Write(Encoding.UTF8.GetBytes(s));
        void PutData(byte[] data)
        {
            Put($"data {data.Length}\n");
            stream.Write(data);
            Put("\n");
        }

        Put("commit refs/heads/main\ncommitter Test <t@example.invalid> 1700000000 +0000\n");
        PutData("odd paths"u8.ToArray());
        Put("M 100644 inline " + longPath + "\n");
        PutData(Encoding.ASCII.GetBytes($"K={longToken}\n"));
        Put("M 100644 inline ");
        stream.Write(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'.', (byte)'e', (byte)'n', (byte)'v' }); // Latin-1 é: not UTF-8
        Put("\n");
        PutData(Encoding.ASCII.GetBytes($"K={latin1Token}\n"));
        Put("\n");
        GitWithInput(repo.Path, stream.ToArray(), "fast-import", "--quiet");

        var r = Scan(repo.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(SecretIdentity.HashSecret(longToken), r.Hashes);
        Assert.Contains(SecretIdentity.HashSecret(latin1Token), r.Hashes);
    }

    private static int Count(int small, int full) => Scale is { } f ? Math.Max(small, (int)(full * f)) : small;

    private static Outcome Scan(string repo)
    {
        var r = CliRun.Run(repo, "scan", "--git", ".", "--format", "json", "--no-progress");
        Assert.DoesNotContain("Unhandled exception", r.StdErr);
        Assert.True(r.StdOut.TrimStart().StartsWith('{'), $"no report (exit {r.ExitCode}): {r.StdErr}");
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        return new Outcome(
            r.ExitCode,
            root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("secretHash").GetString()!).ToHashSet(),
            root.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("kind").GetString()!, w.GetProperty("path").GetString()!, w.GetProperty("message").GetString()!)).ToArray(),
            root.GetProperty("statistics").GetProperty("errors").GetInt32(),
            r.StdErr);
    }

    /// <summary>Builds commits with git fast-import: thousands of commits or files in a second, where `git commit` takes minutes.</summary>
    private static void FastImport(TestRepo repo, IEnumerable<(string Ref, string Message, (string Path, string Content)[] Files)> commits)
    {
        var stream = new MemoryStream();
        var when = 1_700_000_000L;
        void Put(string s) => stream.Write(Encoding.UTF8.GetBytes(s));
        foreach (var (branch, message, files) in commits)
        {
            when += 60;
            Put($"commit {branch}\ncommitter Test <t@example.invalid> {when} +0000\ndata {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            foreach (var (path, content) in files)
            {
                Put($"M 100644 inline {path}\ndata {Encoding.UTF8.GetByteCount(content)}\n{content}\n");
            }

            Put("\n");
        }

        GitWithInput(repo.Path, stream.ToArray(), "fast-import", "--quiet");
    }

    private static string GitWithInput(string directory, string input, params string[] args) => GitWithInput(directory, Encoding.UTF8.GetBytes(input), args);

    private static string GitWithInput(string directory, byte[] input, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Test";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "t@example.invalid";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.BaseStream.Write(input);
        p.StandardInput.Close();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {stderr.Result}");
        return stdout.Result.Trim();
    }

    private sealed record Outcome(int ExitCode, HashSet<string> Hashes, (string Kind, string Path, string Message)[] Warnings, int Errors, string StdErr);
}
