// The small parts a history scan stands on: paths, line hashing, the seen-line set, segments, baseline files.
using System.Text;
using SecretScan.Core;
using SecretScan.Reporting;

namespace SecretScan.Git.Tests;

public class PiecesTests
{
    [Fact]
    public void Non_UTF8_path_bytes_become_octal_escapes_and_UTF8_stays()
    {
        Assert.Equal("café/ü.txt", GitPath.Decode(Encoding.UTF8.GetBytes("café/ü.txt")));
        Assert.Equal("caf\\351.txt", GitPath.Decode(new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74 }));
    }

    [Fact]
    public void Object_ids_round_trip_for_sha1_and_sha256()
    {
        foreach (var hex in new[] { "0123456789abcdef0123456789abcdef01234567", "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210" })
        {
            var key = ObjectKey.Parse(hex);
            Assert.Equal(hex, key.ToHex(hex.Length));
            Assert.Equal(key, ObjectKey.Parse(hex.ToUpperInvariant()));
        }

        Assert.False(ObjectKey.TryParse("xyz"u8, out _));
        Assert.Equal(new[] { "0123456789abcdef0123456789abcdef01234567" }, new HexList(new List<ObjectKey> { ObjectKey.Parse("0123456789abcdef0123456789abcdef01234567") }, 40));
    }

    [Fact]
    public void Lines_hash_without_their_CR_and_the_last_line_needs_no_newline()
    {
        var seed = LineHash.NewSeed();
        using var lines = LineIndex.Build("a\r\nb\n\nc"u8, seed);
        Assert.Equal(4, lines.Count);
        Assert.Equal(new[] { 0, 3, 5, 6, 7 }, Enumerable.Range(0, 5).Select(lines.Start));
        Assert.Equal(LineHash.Of("a"u8, seed), lines.Hash(0));
        Assert.Equal(LineHash.Of(""u8, seed), lines.Hash(2));
        Assert.NotEqual(lines.Hash(0), lines.Hash(1));
        Assert.NotEqual(LineHash.Of("a"u8, seed), LineHash.Of("a"u8, seed + 1));
    }

    [Fact]
    public void Seen_lines_grow_and_keep_stable_ids()
    {
        var seen = new SeenLines(4);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(i, seen.Add(Spread(i), out var added));
            Assert.True(added);
        }

        Assert.Equal(42, seen.Add(Spread(42), out var again));
        Assert.False(again);
        Assert.Equal(10_000, seen.Count);

        var marks = new LineMarks();
        marks.Mark(200_000);
        Assert.True(marks.IsMarked(200_000));
        Assert.False(marks.IsMarked(42));
        Assert.False(marks.IsMarked(5_000_000));
    }

    private static ulong Spread(int i) => unchecked((ulong)i * 0x9E3779B97F4A7C15UL);

    [Fact]
    public void Blob_kinds_follow_git()
    {
        Assert.Equal(BlobKind.Binary, BlobText.Classify(new byte[] { 65, 0, 66 }, out _, out _));
        Assert.Equal(BlobKind.Text, BlobText.Classify("hello"u8, out _, out _));
        Assert.Equal(BlobKind.WideText, BlobText.Classify(new byte[] { 0xFF, 0xFE, 65, 0 }, out var bom, out var wide));
        Assert.Equal((2, Encoding.Unicode), (bom, wide));
        Assert.Equal(BlobKind.LfsPointer, BlobText.Classify("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 3\n"u8, out _, out _));
        Assert.Equal(BlobKind.Empty, BlobText.Classify(ReadOnlySpan<byte>.Empty, out _, out _));
    }

    [Fact]
    public void Segments_keep_the_blobs_line_numbers_and_never_join_across_a_gap()
    {
        var secret = Fakes.GitHubToken();
        var text = Encoding.UTF8.GetBytes(Fakes.Filler(20) + "x = \"" + secret + "\"\n" + Fakes.Filler(20, "b"));
        using var lines = LineIndex.Build(text, 1);
        var keep = new bool[lines.Count];
        keep[20] = true;
        var result = new ScanResult();
        long scanned = 0;
        SegmentScan.Run(Engine.Scanner, text, lines, keep, 2, "f.txt", result, ref scanned);
        var f = Assert.Single(result.Findings);
        Assert.Equal(21, f.Line);
        Assert.True(scanned < text.Length / 4, $"{scanned} of {text.Length} bytes scanned");
    }

    [Fact]
    public void Baseline_file_is_sorted_has_no_secret_and_round_trips()
    {
        var rule = new Rule { Id = "SS1", Name = "r", Pattern = "x" };
        Finding F(string secret, string path)
        {
            var hash = SecretIdentity.HashSecret(secret);
            return new Finding
            {
                Rule = rule, Path = path, Line = 1, Column = 1, EndLine = 1, EndColumn = 2, Secret = secret, Redacted = "r", SecretHash = hash,
                Fingerprint = SecretIdentity.Fingerprint(rule.Id, hash, path),
            };
        }

        var a = F("secret-one", "a.txt");
        var b = F("secret-two", "b.txt");
        var baseline = Baseline.From(new[] { b, a, a });
        var writer = new StringWriter();
        BaselineFile.Write(baseline, writer);
        var text = writer.ToString();
        Assert.DoesNotContain("secret-one", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        var read = BaselineFile.Parse("x", text + "\n" + text);
        Assert.Equal(baseline.Entries, read.Entries);
        Assert.Equal(2, read.Entries.Count);

        Assert.Equal(BaselineMatch.Fingerprint, read.Match(a));
        Assert.Equal(BaselineMatch.Secret, read.Match(F("secret-one", "moved/a.txt")));
        Assert.Equal(BaselineMatch.None, read.Match(F("secret-three", "a.txt")));
        Assert.Equal(new[] { BaselineEntry.Of(b) }, read.Stale(new[] { a }));
        Assert.Single(read.Update(new[] { a }, prune: true).Entries);

        var e = Assert.Throws<BaselineFormatException>(() => BaselineFile.Parse("base.txt", "<<<<<<< HEAD\n"));
        Assert.Contains("base.txt:1", e.Message, StringComparison.Ordinal);
        Assert.Throws<BaselineFormatException>(() => BaselineFile.Parse("base.txt", "SS1 nothex abc\n"));
    }
}
