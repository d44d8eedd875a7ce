// What the commit log says about every blob: the oldest commit and path that added it, the newest commit that held it,
// and every other path it appeared under. Holds one small record per blob and one id per commit, nothing per tree.
using System.Runtime.InteropServices;

namespace SecretScan.Git;

/// <summary>Where a blob came from. Orders are positions in the log, newest first: a larger order is an older commit.</summary>
internal struct BlobOrigin
{
    /// <summary>The oldest commit that added the blob.</summary>
    public int IntroOrder;

    /// <summary>The path it had in that commit.</summary>
    public int PathId;

    /// <summary>The newest event seen for the blob: a commit that removed it, or (when nothing removed it) one that added it.</summary>
    public int LastOrder;

    /// <summary>When <see cref="LastOrder"/> removed the blob: which of its parents still held it; -1 when it added it.</summary>
    public int LastParent;
}

internal sealed class BlobCatalog
{
    private readonly Dictionary<ObjectKey, BlobOrigin> blobs;
    private readonly Dictionary<ObjectKey, List<int>> extraPaths = new();
    private readonly List<ObjectKey> commits = new();
    private readonly List<string> paths = new();
    private readonly Dictionary<string, int> pathIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> submodules = new(StringComparer.Ordinal);

    /// <param name="expectedBlobs">How many blobs the log will name, when known (the object store's listing): the map is then allocated once.</param>
    public BlobCatalog(int expectedBlobs = 0)
    {
        blobs = new Dictionary<ObjectKey, BlobOrigin>(Math.Max(0, expectedBlobs));
    }

    /// <summary>40 for SHA-1 repositories, 64 for SHA-256 ones.</summary>
    public int HexLength { get; set; } = 40;

    public int BlobCount => blobs.Count;

    public int CommitCount => commits.Count;

    /// <summary>Submodule (gitlink) paths seen in the log, with how many commits changed them: never scanned, reported.</summary>
    public IReadOnlyDictionary<string, int> Submodules => submodules;

    public ObjectKey Commit(int order) => commits[order];

    public string Path(int pathId) => paths[pathId];

    public bool Contains(ObjectKey blob) => blobs.ContainsKey(blob);

    public bool TryGet(ObjectKey blob, out BlobOrigin origin) => blobs.TryGetValue(blob, out origin);

    /// <summary>The first path (the one in the introducing commit), then any others, in the order they were seen.</summary>
    public IEnumerable<int> PathIds(ObjectKey blob)
    {
        if (!blobs.TryGetValue(blob, out var origin))
        {
            yield break;
        }

        yield return origin.PathId;
        if (extraPaths.TryGetValue(blob, out var more))
        {
            foreach (var p in more)
            {
                if (p != origin.PathId)
                {
                    yield return p;
                }
            }
        }
    }

    public IEnumerable<ObjectKey> Blobs => blobs.Keys;

    internal int AddCommit(ObjectKey commit)
    {
        commits.Add(commit);
        return commits.Count - 1;
    }

    internal int InternPath(string path)
    {
        if (!pathIds.TryGetValue(path, out var id))
        {
            id = paths.Count;
            paths.Add(path);
            pathIds.Add(path, id);
        }

        return id;
    }

    /// <summary>Commit <paramref name="order"/> holds <paramref name="blob"/> at <paramref name="pathId"/> and its parent did not. The log runs newest first.</summary>
    internal void Added(ObjectKey blob, int pathId, int order)
    {
        ref var origin = ref CollectionsMarshal.GetValueRefOrAddDefault(blobs, blob, out var exists);
        if (!exists)
        {
            origin = new BlobOrigin { IntroOrder = order, PathId = pathId, LastOrder = order, LastParent = -1 };
            return;
        }

        if (origin.IntroOrder < 0)
        {
            // Only its removal was seen so far (newer commits come first).
            origin.IntroOrder = order;
            origin.PathId = pathId;
            return;
        }

        if (origin.PathId != pathId)
        {
            AddExtraPath(blob, origin.PathId);
            AddExtraPath(blob, pathId);
        }

        if (order >= origin.IntroOrder)
        {
            origin.IntroOrder = order;
            origin.PathId = pathId;
        }
    }

    /// <summary>Commit <paramref name="order"/> no longer holds <paramref name="blob"/>, which its parent number <paramref name="parent"/> held.</summary>
    internal void Removed(ObjectKey blob, int order, int parent)
    {
        ref var origin = ref CollectionsMarshal.GetValueRefOrAddDefault(blobs, blob, out var exists);
        if (!exists)
        {
            // The newest event for this blob (the log runs newest first); its adding commit comes later, or is out of scope.
            origin = new BlobOrigin { IntroOrder = -1, PathId = -1, LastOrder = order, LastParent = parent };
        }
    }

    internal void Submodule(string path) => submodules[path] = submodules.GetValueOrDefault(path) + 1;

    /// <summary>Drops blobs that were only ever seen removed: their adding commit is outside the scanned scope.</summary>
    internal void DropUnattributed()
    {
        var orphans = blobs.Where(kv => kv.Value.IntroOrder < 0).Select(kv => kv.Key).ToList();
        foreach (var key in orphans)
        {
            blobs.Remove(key);
        }
    }

    private void AddExtraPath(ObjectKey blob, int pathId)
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(extraPaths, blob, out _);
        list ??= new List<int>(2);
        if (!list.Contains(pathId))
        {
            list.Add(pathId);
        }
    }
}
