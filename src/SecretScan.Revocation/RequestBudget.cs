// A provider's published request limit, kept on this side: GitHub's revocation API takes 60 requests an hour.
namespace SecretScan.Revocation;

/// <summary>At most <see cref="Limit"/> requests in any sliding <see cref="Window"/>; thread-safe.</summary>
public sealed class RequestBudget
{
    private readonly Queue<DateTimeOffset> spent = new();
    private readonly TimeProvider time;
    private readonly object gate = new();

    public RequestBudget(int limit, TimeSpan window, TimeProvider? time = null)
    {
        if (limit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "a budget allows at least one request");
        }

        Limit = limit;
        Window = window;
        this.time = time ?? TimeProvider.System;
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    /// <summary>Takes one request from the budget; false (and when the next one frees up) when it is spent.</summary>
    public bool TryTake(out TimeSpan retryIn)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            while (spent.Count > 0 && now - spent.Peek() >= Window)
            {
                spent.Dequeue();
            }

            if (spent.Count >= Limit)
            {
                retryIn = spent.Peek() + Window - now;
                return false;
            }

            spent.Enqueue(now);
            retryIn = TimeSpan.Zero;
            return true;
        }
    }
}
