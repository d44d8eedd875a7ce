// The folder the benchmarks scan, read into memory once so they time the engine and not the disk.
using System.Diagnostics;
using System.Text;
using SecretScan.Core;

namespace SecretScan.Benchmarks;

public sealed class BenchCorpus
{
    /// <summary>Environment variable naming the folder to scan (a tree, or a gen_corpus output folder holding repo/).</summary>
    public const string CorpusVariable = "SECRETSCAN_BENCH_CORPUS";

    /// <summary>Environment variable naming gen_corpus.py when it is not at ../shared/bench next to the repository.</summary>
    public const string GeneratorVariable = "SECRETSCAN_GEN_CORPUS";

    public const string DefaultCorpus = "/tmp/secretscan-bench-x5";

    private const int DefaultScale = 5;

    /// <summary>Same binary test as the CLI (and git): a NUL byte in the first 8000 bytes.</summary>
    private const int BinaryProbeBytes = 8000;

    private BenchCorpus(string root, TextFragment[] fragments, long bytes, int binaryFiles)
    {
        Root = root;
        Fragments = fragments;
        Bytes = bytes;
        BinaryFiles = binaryFiles;
    }

    public string Root { get; }

    /// <summary>Text files, paths relative to <see cref="Root"/> with '/' separators, in ordinal path order.</summary>
    public TextFragment[] Fragments { get; }

    /// <summary>Bytes on disk of the text files loaded: the numerator of every MB/s figure.</summary>
    public long Bytes { get; }

    public int BinaryFiles { get; }

    public long Chars => Fragments.Sum(f => (long)f.Text.Length);

    public double Megabytes => Bytes / 1e6;

    /// <summary>Loads the corpus named by <see cref="CorpusVariable"/>, generating the default one first if it is missing.</summary>
    public static BenchCorpus Load()
    {
        var named = Environment.GetEnvironmentVariable(CorpusVariable);
        var folder = string.IsNullOrWhiteSpace(named) ? DefaultCorpus : named;
        if (string.IsNullOrWhiteSpace(named) && !Directory.Exists(Path.Combine(folder, "repo")))
        {
            Generate(folder, DefaultScale);
        }

        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{CorpusVariable}={folder}: no such folder");
        }

        // gen_corpus writes truth files next to repo/; only repo/ is the tree to scan.
        var generated = Path.Combine(folder, "repo");
        var root = Directory.Exists(generated) && File.Exists(Path.Combine(folder, "truth.jsonl")) ? generated : folder;
        return Read(Path.GetFullPath(root));
    }

    private static BenchCorpus Read(string root)
    {
        var files = new List<string>();
        Collect(root, files);
        files.Sort(StringComparer.Ordinal);

        var fragments = new List<TextFragment>(files.Count);
        long bytes = 0;
        var binary = 0;
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(file);
            if (Array.IndexOf(content, (byte)0, 0, Math.Min(content.Length, BinaryProbeBytes)) >= 0)
            {
                binary++;
                continue;
            }

            var bom = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            fragments.Add(new TextFragment(Encoding.UTF8.GetString(content, bom, content.Length - bom), relative));
            bytes += content.Length;
        }

        return new BenchCorpus(root, fragments.ToArray(), bytes, binary);
    }

    /// <summary>Every regular file under the folder except git metadata (a .git folder, or the .git file of a worktree or submodule); symlinks are not followed.</summary>
    private static void Collect(string folder, List<string> files)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
        {
            if (entry.Name == ".git")
            {
                continue;
            }

            if (entry is DirectoryInfo sub)
            {
                Collect(sub.FullName, files);
            }
            else
            {
                files.Add(entry.FullName);
            }
        }
    }

    private static void Generate(string folder, int scale)
    {
        var script = Environment.GetEnvironmentVariable(GeneratorVariable) ?? FindGenerator()
            ?? throw new FileNotFoundException($"gen_corpus.py not found; set {GeneratorVariable} or {CorpusVariable}");
        Console.Error.WriteLine($"// generating {folder} (gen_corpus --scale {scale})");
        var start = new ProcessStartInfo("python3") { UseShellExecute = false };
        foreach (var arg in new[] { script, "--out", folder, "--scale", scale.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start python3");
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("gen_corpus.py took more than 5 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"gen_corpus.py exited with {process.ExitCode}");
        }
    }

    /// <summary>The team keeps the generator in shared/bench next to the repository; BenchmarkDotNet runs us from deep inside bin/.</summary>
    private static string? FindGenerator()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecretScan.sln")))
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "bench", "gen_corpus.py");
                return File.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }

        return null;
    }
}
