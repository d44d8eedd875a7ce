// The set of line hashes a history scan has already looked at, each with a stable id; and the marks, by id, of the
// lines that held a secret. Open addressing over one flat array: 16 to 32 bytes a distinct line, no object per entry.
namespace SecretScan.Git;

/// <summary>Line hash to id. Used by one thread only (the blob reader), so it needs no locks.</summary>
internal sealed class SeenLines
{
    // Key and id side by side: a lookup that hits (most lines of most blobs were seen before) costs one cache miss.
    private Entry[] entries;
    private int count;
    private int mask;

    public SeenLines(int capacity = 1 << 16)
    {
        var size = 1;
        while (size < capacity * 2)
        {
            size <<= 1;
        }

        entries = new Entry[size];
        mask = size - 1;
    }

    public int Count => count;

    /// <summary>The id of the hash, adding it when new (<paramref name="added"/> true). Ids run 0, 1, 2... and never change.</summary>
    public int Add(ulong hash, out bool added)
    {
        if (hash == 0)
        {
            hash = 1;
        }

        var i = Slot(hash);
        while (true)
        {
            ref var e = ref entries[i];
            if (e.Key == hash)
            {
                added = false;
                return e.Id;
            }

            if (e.Key == 0)
            {
                e.Key = hash;
                e.Id = count;
                added = true;
                // Three quarters full at most: lookups are mostly hits, and a hit costs about two probes at that load.
                if (++count * 4 > entries.Length * 3)
                {
                    Grow();
                }

                return count - 1;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>
    /// Asks the CPU to start loading the slot of <paramref name="hash"/>: a lookup a few lines later then finds it in
    /// cache. The set is far larger than the caches, so without this every lookup waits on memory.
    /// </summary>
    public unsafe void Prefetch(ulong hash)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            fixed (Entry* e = &entries[Slot(hash == 0 ? 1 : hash)])
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(e);
            }
        }
    }

    private int Slot(ulong hash) => (int)(hash ^ (hash >> 32)) & mask;

    private void Grow()
    {
        var old = entries;
        entries = new Entry[old.Length * 2];
        mask = entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Key == 0)
            {
                continue;
            }

            var i = Slot(e.Key);
            while (entries[i].Key != 0)
            {
                i = (i + 1) & mask;
            }

            entries[i] = e;
        }
    }

    private struct Entry
    {
        public ulong Key;
        public int Id;
    }
}

/// <summary>Which line ids held a secret. Used by the in-order thread only; a byte per distinct line.</summary>
internal sealed class LineMarks
{
    private byte[] marks = new byte[1 << 16];

    public bool IsMarked(int id) => id < marks.Length && marks[id] != 0;

    public void Mark(int id)
    {
        if (id >= marks.Length)
        {
            Array.Resize(ref marks, Math.Max(id + 1, marks.Length * 2));
        }

        marks[id] = 1;
    }
}
