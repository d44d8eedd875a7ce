// The blob pipeline: one thread takes blobs off the git pipe, classifies them, hashes their lines and runs an
// in-order step (the seen-line set); worker threads run the engine; the caller's thread consumes blobs in order.
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;
using SecretScan.Core;

namespace SecretScan.Git;

/// <summary>A blob read and prepared: its bytes, what it is, and for UTF-8 text its lines and their hashes.</summary>
internal sealed class PreparedBlob : IDisposable
{
    private ManualResetEventSlim? pending;
    private ExceptionDispatchInfo? failure;

    public PreparedBlob(BlobData data, BlobKind kind, int bomLength, Encoding? wide, LineIndex? lines)
    {
        Data = data;
        Kind = kind;
        BomLength = bomLength;
        Wide = wide;
        Lines = lines;
    }

    public BlobData Data { get; }

    public BlobKind Kind { get; }

    public int BomLength { get; }

    public Encoding? Wide { get; }

    public LineIndex? Lines { get; }

    /// <summary>Set by the in-order step: the blob has work for the engine.</summary>
    public bool NeedsWork { get; set; }

    /// <summary>Per line: its id in the seen-line set, and whether this blob saw it first (history scans).</summary>
    public int[]? LineIds { get; set; }

    public bool[]? IsNew { get; set; }

    /// <summary>What the engine found, set by a worker.</summary>
    public ScanResult? Result { get; set; }

    /// <summary>The text after any byte order mark.</summary>
    public ReadOnlySpan<byte> Text => Data.Content[BomLength..];

    /// <summary>Lines <paramref name="first"/> to <paramref name="last"/> (0-based, inclusive) as a string, line ends included.</summary>
    public string LineText(int first, int last)
    {
        var from = Lines!.Start(first);
        var to = Lines.Start(last + 1);
        return Encoding.UTF8.GetString(Data.Buffer, BomLength + from, to - from);
    }

    public string WholeText() => Kind == BlobKind.WideText
        ? Wide!.GetString(Data.Buffer, BomLength, Data.Length - BomLength)
        : Encoding.UTF8.GetString(Data.Buffer, BomLength, Data.Length - BomLength);

    internal void Queue() => pending = new ManualResetEventSlim(false);

    internal void Done(Exception? error)
    {
        if (error is not null)
        {
            failure = ExceptionDispatchInfo.Capture(error);
        }

        pending!.Set();
    }

    internal void WaitDone(CancellationToken cancel)
    {
        pending?.Wait(cancel);
        failure?.Throw();
    }

    public void Dispose()
    {
        pending?.Dispose();
        if (LineIds is not null)
        {
            System.Buffers.ArrayPool<int>.Shared.Return(LineIds);
            LineIds = null;
        }

        if (IsNew is not null)
        {
            System.Buffers.ArrayPool<bool>.Shared.Return(IsNew);
            IsNew = null;
        }

        Lines?.Dispose();
        Data.Dispose();
    }
}

internal static class BlobStream
{
    private const int InFlight = 64;

    /// <summary>Reads <paramref name="ids"/> through git and hands each prepared blob to <paramref name="consume"/> in order, on this thread.</summary>
    public static void Run(string directory, IReadOnlyList<string> ids, long maxBlobSize, ulong seed, Action<PreparedBlob> consume, CancellationToken cancel) =>
        Run(directory, ids, maxBlobSize, seed, null, null, consume, 0, cancel);

    /// <summary>
    /// The full pipeline. <paramref name="prepare"/> runs on the reader thread in blob order and may set
    /// <see cref="PreparedBlob.NeedsWork"/>; <paramref name="work"/> then runs on one of <paramref name="workers"/>
    /// threads in any order; <paramref name="consume"/> runs on this thread in blob order, after the blob's work.
    /// </summary>
    public static void Run(string directory, IReadOnlyList<string> ids, long maxBlobSize, ulong seed, Action<PreparedBlob>? prepare, Action<PreparedBlob>? work, Action<PreparedBlob> consume, int workers, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var ordered = new BlockingCollection<PreparedBlob>(InFlight);
        using var jobs = new BlockingCollection<PreparedBlob>();
        ExceptionDispatchInfo? failure = null;
        var threads = new List<Thread>();
        var reader = new Thread(() =>
        {
            try
            {
                foreach (var data in new BlobPipe(directory, maxBlobSize).Read(ids, stop.Token))
                {
                    var blob = Prepare(data, seed);
                    try
                    {
                        prepare?.Invoke(blob);
                        if (work is not null && blob.NeedsWork)
                        {
                            blob.Queue();
                            jobs.Add(blob, stop.Token);
                        }

                        ordered.Add(blob, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        blob.Dispose();
                        throw;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                jobs.CompleteAdding();
                ordered.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "git blob reader",
        };
        threads.Add(reader);
        for (var w = 0; work is not null && w < Math.Max(1, workers); w++)
        {
            threads.Add(new Thread(() =>
            {
                try
                {
                    foreach (var blob in jobs.GetConsumingEnumerable(stop.Token))
                    {
                        try
                        {
                            work(blob);
                            blob.Done(null);
                        }
                        catch (Exception e)
                        {
                            blob.Done(e);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            })
            {
                IsBackground = true,
                Name = "secret scan worker",
            });
        }

        foreach (var t in threads)
        {
            t.Start();
        }

        try
        {
            foreach (var blob in ordered.GetConsumingEnumerable(cancel))
            {
                using (blob)
                {
                    blob.WaitDone(cancel);
                    consume(blob);
                }
            }
        }
        finally
        {
            stop.Cancel();
            foreach (var t in threads)
            {
                t.Join();
            }

            // Only now, with every thread gone, can the buffers of blobs still queued go back to the pool.
            while (ordered.TryTake(out var left))
            {
                left.Dispose();
            }
        }

        cancel.ThrowIfCancellationRequested();
        failure?.Throw();
    }

    public static PreparedBlob Prepare(BlobData data, ulong seed)
    {
        if (data.Status != BlobStatus.Ok)
        {
            return new PreparedBlob(data, BlobKind.Empty, 0, null, null);
        }

        var kind = BlobText.Classify(data.Content, out var bom, out var wide);
        var lines = kind == BlobKind.Text ? LineIndex.Build(data.Content[bom..], seed) : null;
        return new PreparedBlob(data, kind, bom, wide, lines);
    }
}
