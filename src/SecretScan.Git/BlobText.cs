// Decides what a blob is (text, binary, Git LFS pointer) and splits text into lines with a hash per line.
using System.Buffers;
using System.Text;

namespace SecretScan.Git;

internal enum BlobKind
{
    Empty,

    /// <summary>UTF-8 (or ASCII) text, split into hashed lines for the seen-line set.</summary>
    Text,

    /// <summary>UTF-16 or UTF-32 with a byte order mark: decoded whole and scanned without line dedup (rare).</summary>
    WideText,

    /// <summary>A NUL byte in the first 8000 bytes, as git decides.</summary>
    Binary,

    /// <summary>A Git LFS pointer: the content lives on an LFS server, not in the repository.</summary>
    LfsPointer,
}

/// <summary>Line starts and hashes of a text blob, in pooled arrays; <see cref="Dispose"/> returns them.</summary>
internal sealed class LineIndex : IDisposable
{
    private int[]? starts;
    private ulong[]? hashes;

    private LineIndex(int[] starts, ulong[] hashes, int count)
    {
        this.starts = starts;
        this.hashes = hashes;
        Count = count;
    }

    /// <summary>Number of lines (a final line without '\n' counts; an empty text has none).</summary>
    public int Count { get; }

    /// <summary>Byte offset where line <paramref name="i"/> (0-based) starts; <c>Start(Count)</c> is the text length.</summary>
    public int Start(int i) => starts![i];

    public ulong Hash(int i) => hashes![i];

    public ReadOnlySpan<ulong> Hashes => hashes.AsSpan(0, Count);

    /// <summary>Splits <paramref name="text"/> (UTF-8 bytes) into lines; each hash leaves out the '\r' of a CRLF ending.</summary>
    public static LineIndex Build(ReadOnlySpan<byte> text, ulong seed)
    {
        var capacity = 64;
        var starts = ArrayPool<int>.Shared.Rent(capacity + 1);
        var hashes = ArrayPool<ulong>.Shared.Rent(capacity);
        var count = 0;
        var at = 0;
        while (at < text.Length)
        {
            var nl = text[at..].IndexOf((byte)'\n');
            var end = nl < 0 ? text.Length : at + nl;
            if (count == capacity)
            {
                capacity *= 2;
                Grow(ref starts, capacity + 1, count);
                Grow(ref hashes, capacity, count);
            }

            var content = text[at..end];
            if (content.Length > 0 && content[^1] == (byte)'\r')
            {
                content = content[..^1];
            }

            starts[count] = at;
            hashes[count] = LineHash.Of(content, seed);
            count++;
            at = nl < 0 ? text.Length : end + 1;
        }

        starts[count] = text.Length;
        return new LineIndex(starts, hashes, count);
    }

    public void Dispose()
    {
        if (starts is not null)
        {
            ArrayPool<int>.Shared.Return(starts);
            starts = null;
        }

        if (hashes is not null)
        {
            ArrayPool<ulong>.Shared.Return(hashes);
            hashes = null;
        }
    }

    private static void Grow<T>(ref T[] array, int size, int used)
    {
        var bigger = ArrayPool<T>.Shared.Rent(size);
        Array.Copy(array, bigger, used);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }
}

internal static class BlobText
{
    /// <summary>git's own test: a NUL byte in the first 8000 bytes makes a file binary.</summary>
    public const int BinaryProbeBytes = 8000;

    private static readonly byte[] LfsHeader = Encoding.ASCII.GetBytes("version https://git-lfs.github.com/spec/v1");

    /// <summary>What the bytes are; for text, how many bytes of byte order mark to skip, and the wide encoding if any.</summary>
    public static BlobKind Classify(ReadOnlySpan<byte> content, out int bomLength, out Encoding? wide)
    {
        bomLength = 0;
        wide = null;
        if (content.Length == 0)
        {
            return BlobKind.Empty;
        }

        if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF)
        {
            bomLength = 3;
            return BlobKind.Text;
        }

        if (content.Length >= 4 && content[0] == 0xFF && content[1] == 0xFE && content[2] == 0 && content[3] == 0)
        {
            bomLength = 4;
            wide = Encoding.UTF32;
            return BlobKind.WideText;
        }

        if (content.Length >= 2 && ((content[0] == 0xFF && content[1] == 0xFE) || (content[0] == 0xFE && content[1] == 0xFF)))
        {
            bomLength = 2;
            wide = content[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return BlobKind.WideText;
        }

        if (content[..Math.Min(content.Length, BinaryProbeBytes)].IndexOf((byte)0) >= 0)
        {
            return BlobKind.Binary;
        }

        // A pointer is a few short "key value" lines; real LFS pointers are under 200 bytes.
        if (content.Length < 1024 && content.StartsWith(LfsHeader))
        {
            return BlobKind.LfsPointer;
        }

        return BlobKind.Text;
    }
}

/// <summary>
/// A fast 64-bit hash of a line's bytes, seeded per run so no one can prepare lines that collide with a secret's line.
/// Collisions only cost a skipped line, and at 64 bits the odds over millions of distinct lines are about 1e-7.
/// </summary>
internal static class LineHash
{
    private const ulong P1 = 0x9E3779B97F4A7C15;
    private const ulong P2 = 0xC2B2AE3D27D4EB4F;
    private const ulong P3 = 0x165667B19E3779F9;

    public static ulong NewSeed() => (ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.NextInt64() << 32);

    public static ulong Of(ReadOnlySpan<byte> s, ulong seed)
    {
        var h = seed ^ ((ulong)s.Length * P3);
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(s);
        var n = s.Length;
        if (n >= 8)
        {
            // Two lanes a round keep both multipliers busy; the last word is read overlapping, so no byte loop.
            var h2 = h ^ P1;
            var i = 0;
            for (; i + 16 <= n; i += 16)
            {
                var v1 = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, i));
                var v2 = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, i + 8));
                h = System.Numerics.BitOperations.RotateLeft(h ^ (v1 * P2), 31) * P1;
                h2 = System.Numerics.BitOperations.RotateLeft(h2 ^ (v2 * P2), 31) * P1;
            }

            if (i + 8 <= n)
            {
                var v = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, i));
                h = System.Numerics.BitOperations.RotateLeft(h ^ (v * P2), 31) * P1;
                i += 8;
            }

            if (i < n)
            {
                var last = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, n - 8));
                h2 = System.Numerics.BitOperations.RotateLeft(h2 ^ (last * P3), 29) * P2;
            }

            h ^= System.Numerics.BitOperations.RotateLeft(h2, 17);
        }
        else if (n > 0)
        {
            ulong tail = 0;
            for (var j = n - 1; j >= 0; j--)
            {
                tail = (tail << 8) | s[j];
            }

            h = System.Numerics.BitOperations.RotateLeft(h ^ (tail * P2), 31) * P1;
        }

        // murmur3's finalizer: every input bit reaches every output bit.
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        h ^= h >> 33;
        return h;
    }
}
