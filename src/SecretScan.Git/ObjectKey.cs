// A git object id as a compact value: 32 bytes hold SHA-1 (20) and SHA-256 (32) ids, so maps of blobs stay small.
using System.Buffers.Binary;

namespace SecretScan.Git;

internal readonly struct ObjectKey : IEquatable<ObjectKey>, IComparable<ObjectKey>
{
    private readonly ulong a;
    private readonly ulong b;
    private readonly ulong c;
    private readonly ulong d;

    private ObjectKey(ulong a, ulong b, ulong c, ulong d)
    {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
    }

    public bool IsZero => (a | b | c | d) == 0;

    /// <summary>Parses 40 or 64 hex digits (ASCII bytes); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> hex, out ObjectKey key)
    {
        key = default;
        if (hex.Length != 40 && hex.Length != 64)
        {
            return false;
        }

        Span<byte> raw = stackalloc byte[32];
        raw.Clear();
        for (var i = 0; i < hex.Length / 2; i++)
        {
            var hi = Nibble(hex[2 * i]);
            var lo = Nibble(hex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            raw[i] = (byte)((hi << 4) | lo);
        }

        key = new ObjectKey(
            BinaryPrimitives.ReadUInt64BigEndian(raw),
            BinaryPrimitives.ReadUInt64BigEndian(raw[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(raw[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(raw[24..]));
        return true;
    }

    public static ObjectKey Parse(string hex)
    {
        Span<byte> bytes = stackalloc byte[hex.Length];
        for (var i = 0; i < hex.Length; i++)
        {
            bytes[i] = hex[i] < 128 ? (byte)hex[i] : (byte)0;
        }

        return TryParse(bytes, out var key) ? key : throw new FormatException($"not a git object id: {hex}");
    }

    /// <summary>Lowercase hex of the first <paramref name="hexLength"/> digits (40 for SHA-1 repositories, 64 for SHA-256).</summary>
    public string ToHex(int hexLength) => string.Create(hexLength, this, static (chars, key) =>
    {
        Span<ulong> words = stackalloc ulong[] { key.a, key.b, key.c, key.d };
        for (var i = 0; i < chars.Length; i++)
        {
            var nibble = (int)(words[i / 16] >> (60 - (4 * (i % 16)))) & 0xF;
            chars[i] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }
    });

    public bool Equals(ObjectKey other) => a == other.a && b == other.b && c == other.c && d == other.d;

    public override bool Equals(object? obj) => obj is ObjectKey other && Equals(other);

    // Object ids are uniformly distributed already: their first bits are as good a hash as any.
    public override int GetHashCode() => (int)(a >> 32) ^ (int)a;

    public int CompareTo(ObjectKey other)
    {
        var x = a.CompareTo(other.a);
        if (x != 0)
        {
            return x;
        }

        x = b.CompareTo(other.b);
        if (x != 0)
        {
            return x;
        }

        x = c.CompareTo(other.c);
        return x != 0 ? x : d.CompareTo(other.d);
    }

    private static int Nibble(byte h) => h switch
    {
        >= (byte)'0' and <= (byte)'9' => h - '0',
        >= (byte)'a' and <= (byte)'f' => h - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => h - 'A' + 10,
        _ => -1,
    };
}
