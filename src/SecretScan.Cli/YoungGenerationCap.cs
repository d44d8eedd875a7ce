// Keeps the garbage collector's youngest generation small, so the scanner's peak memory follows what a scan keeps
// rather than how many bytes it has read.
namespace SecretScan.Cli;

/// <summary>
/// Asks for a gen0 collection after every <c>budget</c> bytes allocated without one.
/// </summary>
/// <remarks>
/// The runtime sizes the gen0 budget from the CPU's last-level cache. On a server part with a large L3 (300 MB on the
/// machine this was measured on) that lets 60 to 200 MB of garbage pile up between collections, which showed as peak
/// memory rising with the size of the scan (a history of 2,000 commits 96 MB, of 32,000 commits 205 MB) although the
/// live heap stayed small. The runtime's own knob for this, <c>DOTNET_GCgen0size</c>, is read only from the
/// environment (runtimeconfig.json cannot set it), so a watcher thread does what it would. A collection of a young
/// generation that holds almost only garbage takes well under a millisecond. A user who sets
/// <c>DOTNET_GCgen0size</c> keeps their setting. The watcher is its own thread, not a timer: timer callbacks run on the
/// thread pool, which a scan keeps busy.
/// </remarks>
internal sealed class YoungGenerationCap : IDisposable
{
    /// <summary>What the tool runs with: on history and folder scans 16 MB kept the peak close to what the 4 MB knob gives, at no measurable cost in time.</summary>
    public const long DefaultBudget = 16L << 20;

    private readonly long budget;
    private readonly TimeSpan period;
    private readonly ManualResetEventSlim stop = new();
    private readonly Thread watcher;
    private long mark;
    private int collections;
    private int forced;

    public YoungGenerationCap(long budget, TimeSpan period)
    {
        this.budget = budget;
        this.period = period;
        collections = GC.CollectionCount(0);
        mark = GC.GetTotalAllocatedBytes(precise: false);
        watcher = new Thread(Watch) { IsBackground = true, Name = "secretscan gen0 cap" };
        watcher.Start();
    }

    /// <summary>How many collections the cap asked for.</summary>
    public int Forced => Volatile.Read(ref forced);

    /// <summary>Starts the cap for this process, unless the user tuned gen0 through the runtime's environment variable.</summary>
    public static YoungGenerationCap? Start() =>
        Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null && Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is null
            ? new YoungGenerationCap(DefaultBudget, TimeSpan.FromMilliseconds(20))
            : null;

    public void Dispose()
    {
        stop.Set();
        watcher.Join();
        stop.Dispose();
    }

    private void Watch()
    {
        while (!stop.Wait(period))
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            var count = GC.CollectionCount(0);
            if (count != collections)
            {
                // The runtime collected on its own: count from here.
                collections = count;
                mark = allocated;
                continue;
            }

            if (allocated - mark >= budget)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                collections = GC.CollectionCount(0);
                mark = allocated;
                Interlocked.Increment(ref forced);
            }
        }
    }
}
