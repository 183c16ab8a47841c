using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// The frames waiting to be sent to one peer silo: a bounded queue (a frame that does not fit is refused, and the
/// caller drops it) and the flag that keeps at most one drain of it scheduled.
/// </summary>
/// <remarks>Thread-safe: any number of enqueuers, one drainer at a time (the one that claimed the drain); only the drainer
/// dequeues.</remarks>
internal sealed class PeerOutbox(SiloAddress silo, int capacity)
{
    private readonly ConcurrentQueue<byte[]> _frames = new();
    private int _count;
    private int _draining;

    /// <summary>The peer.</summary>
    public SiloAddress Silo => silo;

    /// <summary>Queues <paramref name="frame"/>; false when <c>capacity</c> frames wait already (nothing queued).</summary>
    public bool TryEnqueue(byte[] frame)
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _frames.Enqueue(frame);
        return true;
    }

    /// <summary>Takes the next frame to send.</summary>
    public bool TryDequeue(out byte[] frame)
    {
        if (_frames.TryDequeue(out frame!))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Drainer only: takes the frames waiting, in queue order, into one array (one Orleans call carries them): at most
    /// <paramref name="maxFrames"/>, and no frame beyond the first once they total <paramref name="maxBytes"/>; null when
    /// none waits.
    /// </summary>
    public byte[][]? TryDequeueBatch(int maxFrames, int maxBytes)
    {
        if (!_frames.TryPeek(out byte[]? first))
        {
            return null;
        }

        var batch = new byte[Math.Clamp(Volatile.Read(ref _count), 1, maxFrames)][];
        int taken = 0;
        long bytes = 0;
        while (taken < batch.Length && _frames.TryPeek(out byte[]? next) && (taken == 0 || bytes + next.Length <= maxBytes))
        {
            // The drainer is the only one that dequeues: the frame peeked is the one taken.
            _frames.TryDequeue(out _);
            Interlocked.Decrement(ref _count);
            batch[taken++] = next;
            bytes += next.Length;
        }

        if (taken < batch.Length)
        {
            Array.Resize(ref batch, taken);
        }

        return batch;
    }

    /// <summary>True when the caller became the drainer and must schedule a drain.</summary>
    public bool TryClaimDrain() => Interlocked.CompareExchange(ref _draining, 1, 0) == 0;

    /// <summary>Gives the drain up; true when frames arrived meanwhile and the caller is the drainer again.</summary>
    public bool ReleaseDrain()
    {
        Volatile.Write(ref _draining, 0);
        return !_frames.IsEmpty && TryClaimDrain();
    }
}
