using System.Collections.Concurrent;

namespace Actors.Wal.Writing;

/// <summary>
/// A bounded pool of <see cref="StreamWriteRequest"/>s (one per log), so the append path allocates nothing in steady
/// state. Any thread rents and returns; a full pool drops the returned object, an empty one allocates.
/// </summary>
/// <remarks>
/// A <see cref="ConcurrentQueue{T}"/>: its segments are rings that are reused while the queue stays within them, so
/// renting and returning allocate nothing once warm, and whatever thread returns a request, the next rent on any thread
/// finds it. (The earlier ring probed from per-thread cursors that moved on every call: a thread that both returned and
/// rented, as the committer does when a caller's continuation runs inline, never probed where it had returned, so
/// every append allocated a request.)
/// </remarks>
internal sealed class RequestPool
{
    private readonly ConcurrentQueue<StreamWriteRequest> _items = new();
    private readonly int _capacity;
    private int _count;

    /// <summary>Creates a pool keeping up to <paramref name="capacity"/> idle requests.</summary>
    public RequestPool(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Idle requests in the pool.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>A request ready to fill.</summary>
    public StreamWriteRequest Rent()
    {
        if (_items.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _count);
            return item;
        }

        return new StreamWriteRequest(this);
    }

    /// <summary>Returns a request whose two owners are done with it (dropped when the pool is full).</summary>
    public void Return(StreamWriteRequest request)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return;
        }

        _items.Enqueue(request);
    }
}
