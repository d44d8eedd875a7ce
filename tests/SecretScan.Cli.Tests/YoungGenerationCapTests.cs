// The watcher that stands in for DOTNET_GCgen0size must actually collect when garbage piles up, even while the thread pool is busy.
namespace SecretScan.Cli.Tests;

public class YoungGenerationCapTests
{
    [Fact]
    public async Task Collects_the_young_generation_after_each_budget_of_allocation()
    {
        using var cap = new YoungGenerationCap(budget: 1 << 20, period: TimeSpan.FromMilliseconds(5));
        var before = GC.CollectionCount(0);

        // 32 MB of short-lived small arrays (small: large ones skip gen0), slowly enough for the watcher to see each MB.
        // The pool's threads are all blocked meanwhile, as a parallel scan keeps them: the watcher must not need one.
        var pool = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() => Thread.Sleep(800))).ToArray();
        for (var i = 0; i < 2048; i++)
        {
            GC.KeepAlive(new byte[16 * 1024]);
            if (i % 64 == 63)
            {
                Thread.Sleep(15);
            }
        }

        await Task.WhenAll(pool);

        // A runtime left to itself on a large-cache CPU collects once or not at all here; the cap about 30 times.
        var collections = GC.CollectionCount(0) - before;
        Assert.True(cap.Forced >= 8, $"the cap forced {cap.Forced} collections for 32 MB of garbage with a 1 MB budget ({collections} in all)");
    }
}
