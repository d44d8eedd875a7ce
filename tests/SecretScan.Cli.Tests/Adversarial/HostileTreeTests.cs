// Hostile folders through the real CLI: huge files and lines, many files, deep and odd paths, special files, encodings, archives.
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using SecretScan.Core;
using SecretScan.Core.Generated;

namespace SecretScan.Cli.Tests.Adversarial;

/// <remarks>
/// Unreadable files and folders cannot be tested here: the tests run as root, who reads everything (chmod 000 does
/// not stop root). The walker reports them as counted errors (FolderWalker: "unreadable folder", FolderScan: "cannot read").
/// </remarks>
public class HostileTreeTests
{
    private static readonly byte[] FillerLine = Encoding.ASCII.GetBytes("    int value = compute(alpha, beta) + 42; // ordinary code\n");

    [Fact]
    public void Huge_file_is_streamed_in_windows_and_its_secret_found_or_skipped_with_a_reason_by_default()
    {
        using var dir = new TempFolder();
        var size = AdversarialScale.Size(12L << 20, 2_000_000_000);
        var deep = Hostile.Token();
        using (var f = File.Create(Path.Combine(dir.Path, "huge.log")))
        {
            var block = Enumerable.Repeat(FillerLine, (1 << 20) / FillerLine.Length).SelectMany(b => b).ToArray();
            for (long written = 0; written < size; written += block.Length)
            {
                f.Write(block);
            }

            f.Write(Encoding.ASCII.GetBytes($"token = {deep}\n"));
        }

        var planted = Hostile.Plant(dir.Path);
        var streamed = ScanOutcome.Scan(dir.Path, ".", "--max-file-size", "0");
        Assert.Equal(1, streamed.ExitCode);
        streamed.AssertFound(deep, planted);

        // The default limit (100 MB) skips it with a reason; at small scale a lower limit plays that part.
        var limited = ScanOutcome.Scan(dir.Path, ".", "--max-file-size", AdversarialScale.IsFull ? "100MB" : "4MB");
        limited.AssertFound(planted);
        Assert.False(limited.Found(deep));
        Assert.Contains("size limit", limited.Warning("huge.log").Message);
        Assert.Equal(0, limited.Errors);
    }

    [Fact]
    public void Single_line_of_hundreds_of_megabytes_is_scanned_with_secrets_in_the_middle_and_at_the_end()
    {
        using var dir = new TempFolder();
        var size = AdversarialScale.Size(12L << 20, 500_000_000);
        var middle = Hostile.Token();
        var end = Hostile.Token();
        using (var f = File.Create(Path.Combine(dir.Path, "bundle.min.js")))
        {
            var chunk = Encoding.ASCII.GetBytes(new string('x', 1023) + ";");
            for (long i = 0; i < size / 2; i += chunk.Length)
            {
                f.Write(chunk);
            }

            f.Write(Encoding.ASCII.GetBytes($"var a='{middle}';"));
            for (long i = 0; i < size / 2; i += chunk.Length)
            {
                f.Write(chunk);
            }

            f.Write(Encoding.ASCII.GetBytes($"var b='{end}';"));
        }

        var planted = Hostile.Plant(dir.Path);
        var r = ScanOutcome.Scan(dir.Path, ".", "--max-file-size", "0");
        Assert.Equal(1, r.ExitCode);
        r.AssertFound(middle, end, planted);
        Assert.Equal(3, r.Findings);
    }

    [Fact]
    public void Many_tiny_files_are_all_scanned()
    {
        using var dir = new TempFolder();
        var count = AdversarialScale.Count(3_000, 1_000_000);
        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(dir.Path, $"d{i / 1000:D4}");
            if (i % 1000 == 0)
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(Path.Combine(folder, $"f{i % 1000:D4}.txt"), $"x = {i}\n");
        }

        var hidden = Hostile.Plant(Path.Combine(dir.Path, $"d{(count - 1) / 1000:D4}"), "zz-last.env");
        var planted = Hostile.Plant(dir.Path);
        var r = ScanOutcome.Scan(dir.Path, ".");
        r.AssertFound(hidden, planted);
        Assert.Equal(0, r.Errors);
    }

    [Fact]
    public void Folders_nested_past_PATH_MAX_are_a_counted_error_and_the_rest_is_scanned()
    {
        using var dir = new TempFolder();
        var root = Path.Combine(dir.Path, "tree");
        Directory.CreateDirectory(root);
        try
        {
            // 2,100 levels of "d/" is a 4,200-char path: past Linux's PATH_MAX (4096) at any scale. Built with mkdirat and
            // openat on folder handles (python3), the only way to make such a tree; a shell's cd slows down past PATH_MAX.
            var depth = AdversarialScale.Count(2_100, 10_000);
            var bottom = Hostile.Token();
            var shallow = Hostile.Token();
            const string Build = """
                import os, sys
                fd = os.open(sys.argv[1], os.O_RDONLY)
                def put(name, text):
                    f = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd); os.write(f, text.encode()); os.close(f)
                for i in range(int(sys.argv[2])):
                    os.mkdir("d", dir_fd=fd); below = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = below
                    if i == 100: put("mid.txt", "key = " + sys.argv[4] + "\n")
                put("bottom.txt", "key = " + sys.argv[3] + "\n")
                """;
            Hostile.Run("python3", "-c", Build, root, depth.ToString(System.Globalization.CultureInfo.InvariantCulture), bottom, shallow);
            var planted = Hostile.Plant(root);
            var r = ScanOutcome.Scan(root, ".");
            r.AssertFound(planted, shallow);

            // Either the bottom is read (a walker that descends with relative handles) or its folder is a counted error.
            Assert.True(r.Found(bottom) || (r.Errors >= 1 && r.ExitCode == 2), $"bottom secret neither found nor a counted error: {r.Result.StdOut[..Math.Min(2000, r.Result.StdOut.Length)]}");
        }
        finally
        {
            Hostile.RemoveTree(root);
        }
    }

    [Fact]
    public void Long_and_non_UTF8_names_are_scanned_or_a_counted_error_naming_the_file()
    {
        using var dir = new TempFolder();
        var folder = dir.Path;
        for (var i = 0; i < 15; i++)
        {
            folder = Path.Combine(folder, $"n{i:D2}" + new string('p', 252)); // every component at NAME_MAX (255 bytes)
        }

        Directory.CreateDirectory(folder);
        var longToken = Hostile.Token();
        File.WriteAllText(Path.Combine(folder, "x.txt"), $"key = {longToken}\n");

        // A Latin-1 file name: not UTF-8. .NET decodes it to U+FFFD and cannot open it by that name.
        Hostile.Run("bash", "-c", "printf 'key = %s\\n' \"$2\" > \"$1\"/$'caf\\xe9.txt'", "latin1", dir.Path, Hostile.Token());
        try
        {
            var planted = Hostile.Plant(dir.Path);
            var r = ScanOutcome.Scan(dir.Path, ".");
            r.AssertFound(longToken, planted);
            var latin1 = Assert.Single(r.Warnings, w => w.Path.StartsWith("caf", StringComparison.Ordinal));
            Assert.Equal("error", latin1.Kind);
            Assert.Contains("not valid UTF-8", latin1.Message);
            Assert.Equal(2, r.ExitCode);
        }
        finally
        {
            Hostile.RemoveTree(dir.Path); // Directory.Delete cannot delete a name that is not UTF-8 either
        }
    }

    [Fact]
    public void Links_loops_fifos_devices_and_sockets_are_skipped_without_blocking()
    {
        using var outside = new TempFolder();
        var escaped = Hostile.Token();
        outside.Write("secret.txt", $"token {escaped}\n");
        using var dir = new TempFolder();
        Directory.CreateDirectory(Path.Combine(dir.Path, "inner"));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "inner", "loop"), dir.Path);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "escape"), outside.Path);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "leak.txt"), Path.Combine(outside.Path, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(dir.Path, "zero-link"), "/dev/zero");
        Hostile.Run("mkfifo", Path.Combine(dir.Path, "pipe"));

        // Character devices like /dev/zero and /dev/urandom (endless reads); creating them needs root, as these tests run.
        Hostile.Run("mknod", Path.Combine(dir.Path, "zero"), "c", "1", "5");
        Hostile.Run("mknod", Path.Combine(dir.Path, "urandom"), "c", "1", "9");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir.Path, "sock")));
        var planted = Hostile.Plant(dir.Path);

        var r = ScanOutcome.Scan(dir.Path, ".");
        Assert.Equal(1, r.ExitCode);
        r.AssertFound(planted);
        Assert.False(r.Found(escaped));
        Assert.Equal(new[] { "escape", "inner/loop", "leak.txt", "zero-link" }, r.Warnings.Select(w => w.Path).Order(StringComparer.Ordinal).ToArray());
        Assert.All(r.Warnings, w => Assert.Contains("symbolic link", w.Message));
    }

    [Fact]
    public void Invalid_UTF8_UTF16_and_NUL_laden_text_is_scanned_or_skipped_as_binary_with_a_reason()
    {
        using var dir = new TempFolder();
        var found = new List<string>();
        void Put(string name, byte[] data) => File.WriteAllBytes(Path.Combine(dir.Path, name), data);
        string Next()
        {
            var t = Hostile.Token();
            found.Add(t);
            return t;
        }

        Put("invalid-utf8.txt", Repeat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80, 0x0A }, 100).Concat(Encoding.ASCII.GetBytes($"key = {Next()}\n")).ToArray());
        Put("utf16le-bom.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes($"line\r\nkey = {Next()}\r\n")).ToArray());
        Put("utf16be-bom.txt", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes($"line\nkey = {Next()}\n")).ToArray());
        Put("utf32-bom.txt", Encoding.UTF32.GetPreamble().Concat(Encoding.UTF32.GetBytes($"line\nkey = {Next()}\n")).ToArray());
        Put("lone-surrogates.txt", Encoding.ASCII.GetBytes("a\n").Concat(new byte[] { 0xED, 0xB0, 0x80, 0xF4, 0x90, 0x80, 0x80 }).Concat(Encoding.ASCII.GetBytes($"\nkey = {Next()}\n")).ToArray());
        Put("nul-after-probe.txt", Repeat(FillerLine, 200).Concat(new byte[] { 0, 0, 0, 0x0A }).Concat(Encoding.ASCII.GetBytes($"key = {Next()}\n")).ToArray());

        // Binary by git's rule (a NUL in the first 8000 bytes): skipped and said so, like git diff does.
        var unseen = Hostile.Token();
        Put("utf16le-nobom.txt", Encoding.Unicode.GetBytes($"key = {unseen}\n"));
        Put("nul-first.txt", new byte[] { 0 }.Concat(Encoding.ASCII.GetBytes($"key = {Hostile.Token()}\n")).ToArray());
        var planted = Hostile.Plant(dir.Path);

        var r = ScanOutcome.Scan(dir.Path, ".");
        Assert.Equal(1, r.ExitCode);
        r.AssertFound(found.Append(planted).ToArray());
        Assert.False(r.Found(unseen));
        Assert.Contains("binary", r.Warning("utf16le-nobom.txt").Message);
        Assert.Contains("binary", r.Warning("nul-first.txt").Message);
        Assert.Equal(0, r.Errors);
    }

    [Fact]
    public void Archives_are_not_opened_a_zip_bomb_is_skipped_as_binary()
    {
        using var dir = new TempFolder();

        // 64 MB of zeros deflate to ~64 KB; nested five deep. Archives are binary: skipped with a reason, never unpacked.
        var layer = Path.Combine(dir.Path, "bomb0.zip");
        using (var zip = ZipFile.Open(layer, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("zeros.txt", CompressionLevel.SmallestSize).Open())
        {
            var block = new byte[1 << 20];
            for (var i = 0; i < AdversarialScale.Count(64, 1024); i++)
            {
                entry.Write(block);
            }
        }

        for (var i = 1; i <= 5; i++)
        {
            var next = Path.Combine(dir.Path, $"bomb{i}.zip");
            using (var zip = ZipFile.Open(next, ZipArchiveMode.Create))
            {
                zip.CreateEntryFromFile(layer, Path.GetFileName(layer));
            }

            File.Delete(layer);
            layer = next;
        }

        var inZip = Hostile.Token();
        using (var zip = ZipFile.Open(Path.Combine(dir.Path, "stored.zip"), ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("inner.env", CompressionLevel.NoCompression).Open()))
        {
            w.Write($"GITHUB_TOKEN={inZip}\n");
        }

        var planted = Hostile.Plant(dir.Path);
        var r = ScanOutcome.Scan(dir.Path, ".");
        Assert.Equal(1, r.ExitCode);
        r.AssertFound(planted);
        Assert.False(r.Found(inZip));
        Assert.Contains("binary", r.Warning("bomb5.zip").Message);
        Assert.Contains("binary", r.Warning("stored.zip").Message);
    }

    [Fact]
    public async Task Files_that_vanish_grow_or_shrink_during_the_scan_give_a_report_with_counted_errors()
    {
        using var dir = new TempFolder();
        var count = AdversarialScale.Count(2_000, 100_000);
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var f = Path.Combine(dir.Path, $"m{i / 500:D3}", $"f{i:D6}.txt");
            if (i % 500 == 0)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(f)!);
            }

            File.WriteAllText(f, $"value = {i}\n" + new string('v', i % 3000));
            files.Add(f);
        }

        var planted = Hostile.Plant(dir.Path);
        using var stop = new CancellationTokenSource();
        var mutator = Task.Run(() =>
        {
            var rng = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var f = files[rng.Next(files.Count)];
                try
                {
                    switch (rng.Next(4))
                    {
                        case 0:
                            File.Delete(f);
                            break;
                        case 1:
                            File.WriteAllText(f, new string('g', rng.Next(20_000)));
                            break;
                        case 2:
                            using (var s = new FileStream(f, FileMode.OpenOrCreate))
                            {
                                s.SetLength(rng.Next(10));
                            }

                            break;
                        default:
                            File.AppendAllText(f, new string('a', rng.Next(5_000)));
                            break;
                    }
                }
                catch (IOException)
                {
                }
            }
        });

        try
        {
            var r = ScanOutcome.Scan(dir.Path, ".", "--threads", "2");
            r.AssertFound(planted);
            Assert.True(r.ExitCode == 1 || (r.ExitCode == 2 && r.Errors > 0), $"exit {r.ExitCode} with {r.Errors} errors");
        }
        finally
        {
            stop.Cancel();
            await mutator;
        }
    }

    [Fact]
    public async Task Opening_a_path_that_became_a_fifo_link_device_or_folder_is_refused_at_once_with_the_reason()
    {
        using var outside = new TempFolder();
        var escaped = Hostile.Token();
        var secret = outside.Write("shadow", $"token {escaped}\n");
        using var dir = new TempFolder();
        var fifo = Path.Combine(dir.Path, "pipe.txt");
        Hostile.Run("mkfifo", fifo);
        var link = Path.Combine(dir.Path, "leak.txt");
        File.CreateSymbolicLink(link, secret);
        var zeroLink = Path.Combine(dir.Path, "zero.txt");
        File.CreateSymbolicLink(zeroLink, "/dev/zero");
        var device = Path.Combine(dir.Path, "dev.txt");
        Hostile.Run("mknod", device, "c", "1", "5"); // /dev/zero's numbers; the tests run as root
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "was-a-file.txt")).FullName;
        var plain = dir.Write("plain.txt", "ordinary\n");

        // On a worker thread with a deadline: the old open blocked on the FIFO forever, and a hang must fail, not stall the run.
        // (WaitAsync throws TimeoutException; the blocked thread is abandoned.)
        async Task<string?> Refusal(string path)
        {
            var opened = await Task.Run(() => RegularFile.Open(path)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Null(opened.Handle);
            return opened.Refusal;
        }

        Assert.Equal("became a FIFO during the scan (not read)", await Refusal(fifo));
        Assert.Equal("became a symbolic link during the scan (not followed)", await Refusal(link));
        Assert.Equal("became a symbolic link during the scan (not followed)", await Refusal(zeroLink));
        Assert.Equal("became a device during the scan (not read)", await Refusal(device));
        Assert.Equal("became a folder during the scan", await Refusal(folder));

        var opened = RegularFile.Open(plain);
        using (var handle = opened.Handle)
        {
            Assert.Null(opened.Refusal);
            Assert.Equal(9, RandomAccess.GetLength(handle!));
        }

        Assert.Throws<FileNotFoundException>(() => RegularFile.Open(Path.Combine(dir.Path, "vanished.txt")));
    }

    [Fact]
    public async Task A_file_swapped_for_a_fifo_or_a_link_out_of_the_root_after_the_listing_is_a_counted_skip_and_the_scan_ends()
    {
        using var outside = new TempFolder();
        var escaped = Hostile.Token();
        var secret = outside.Write("secret.env", $"GITHUB_TOKEN={escaped}\n");
        using var dir = new TempFolder();
        var toFifo = dir.Write("a-pipe.txt", "listed as an ordinary file\n");
        var toLink = dir.Write("b-link.txt", "listed as an ordinary file\n");
        var planted = Hostile.Plant(dir.Path);

        // The walk has stat-ed each file (a regular file, not empty) before the hook runs; the swap lands in the exact
        // window an attacker races for, every time, which a second process swapping in a loop could only hit by chance.
        var scan = new FolderScan(new Scanner(RuleSet.Create(BuiltInRules.All, new RuleSetOptions())), maxFileSize: 0, threads: 1)
        {
            BeforeOpen = target =>
            {
                if (target.FullPath == toFifo)
                {
                    File.Delete(toFifo);
                    Hostile.Run("mkfifo", toFifo);
                }
                else if (target.FullPath == toLink)
                {
                    File.Delete(toLink);
                    File.CreateSymbolicLink(toLink, secret);
                }
            },
        };

        var r = await Task.Run(() => scan.Run(new FolderWalker(dir.Path, [], []))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(r.Findings, f => f.Secret == planted);
        Assert.DoesNotContain(r.Findings, f => f.Secret == escaped);
        Assert.Equal(
            new[] { ("a-pipe.txt", "became a FIFO during the scan (not read)"), ("b-link.txt", "became a symbolic link during the scan (not followed)") },
            r.Warnings.Select(w => (w.Path, w.Message)).ToArray());
        Assert.All(r.Warnings, w => Assert.Equal(ScanWarningKind.Skipped, w.Kind));
        Assert.Equal((1, 2, 0), (r.Statistics.FilesScanned, r.Statistics.FilesSkipped, r.Statistics.Errors));
    }

    private static IEnumerable<byte> Repeat(byte[] bytes, int times) => Enumerable.Repeat(bytes, times).SelectMany(b => b);
}
