using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// The frames waiting to be sent to one peer silo: a bounded queue (a frame that does not fit is refused, and the
/// caller drops it) and the flag that keeps at most one drain of it scheduled.
/// </summary>
/// <remarks>Thread-safe: any number of enqueuers, one drainer at a time (the one that claimed the drain).</remarks>
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

    /// <summary>True when the caller became the drainer and must schedule a drain.</summary>
    public bool TryClaimDrain() => Interlocked.CompareExchange(ref _draining, 1, 0) == 0;

    /// <summary>Gives the drain up; true when frames arrived meanwhile and the caller is the drainer again.</summary>
    public bool ReleaseDrain()
    {
        Volatile.Write(ref _draining, 0);
        return !_frames.IsEmpty && TryClaimDrain();
    }
}
