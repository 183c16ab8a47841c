using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Actors.Wal.Writing;

/// <summary>
/// A bounded pool of <see cref="StreamWriteRequest"/>s (one per log), so the append path allocates nothing in steady
/// state. Any thread rents and returns; a full pool drops the returned object, an empty one allocates.
/// </summary>
/// <remarks>
/// <para>
/// Two tiers. Each thread keeps a small cache of its own (<see cref="ThreadCache"/>, up to
/// <see cref="ThreadCacheCapacity"/> requests of one pool): a caller's continuation returns its request there and the
/// same thread's next append rents it back without touching memory another core writes. Only when a thread's cache is
/// empty or full does it go to the shared tier, a <see cref="ConcurrentQueue{T}"/> whose segments are rings reused
/// while the queue stays within them (renting and returning allocate nothing once warm, and a request returned on any
/// thread is found by a rent on any other).
/// </para>
/// <para>
/// A thread's cache serves one pool at a time: a thread that returns a request of another pool (another log) first
/// hands its cached requests back to their own pool's shared tier, so no pool's requests are stranded in a cache that
/// serves a different log.
/// </para>
/// </remarks>
internal sealed class RequestPool
{
    /// <summary>Requests a thread keeps for itself before it returns them to the shared tier.</summary>
    public const int ThreadCacheCapacity = 32;

    [ThreadStatic]
    private static ThreadCache? _threadCache;

    private readonly ConcurrentQueue<StreamWriteRequest> _shared = new();
    private readonly int _capacity;
    private int _sharedCount;

    /// <summary>Creates a pool keeping up to <paramref name="capacity"/> idle requests in its shared tier.</summary>
    public RequestPool(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Idle requests in the shared tier (the threads' caches are not counted).</summary>
    public int Count => Volatile.Read(ref _sharedCount);

    /// <summary>A request ready to fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StreamWriteRequest Rent()
    {
        if (_threadCache is { } cache && ReferenceEquals(cache.Owner, this) && cache.TryPop() is { } cached)
        {
            return cached;
        }

        if (_shared.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _sharedCount);
            return item;
        }

        return new StreamWriteRequest(this);
    }

    /// <summary>Returns a request whose two owners are done with it (dropped when both tiers are full).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Return(StreamWriteRequest request)
    {
        var cache = _threadCache ??= new ThreadCache();
        if (!ReferenceEquals(cache.Owner, this))
        {
            cache.Owner?.ReturnAllShared(cache);
            cache.Owner = this;
        }

        if (!cache.TryPush(request))
        {
            ReturnShared(request);
        }
    }

    private void ReturnAllShared(ThreadCache cache)
    {
        while (cache.TryPop() is { } request)
        {
            ReturnShared(request);
        }
    }

    private void ReturnShared(StreamWriteRequest request)
    {
        if (Interlocked.Increment(ref _sharedCount) > _capacity)
        {
            Interlocked.Decrement(ref _sharedCount);
            return;
        }

        _shared.Enqueue(request);
    }

    /// <summary>One thread's requests of one pool (touched by that thread only).</summary>
    private sealed class ThreadCache
    {
        private readonly StreamWriteRequest?[] _items = new StreamWriteRequest?[ThreadCacheCapacity];
        private int _count;

        /// <summary>The pool whose requests the cache holds (null until the thread first returns one).</summary>
        public RequestPool? Owner { get; set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public StreamWriteRequest? TryPop()
        {
            if (_count == 0)
            {
                return null;
            }

            var request = _items[--_count];
            _items[_count] = null;
            return request;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryPush(StreamWriteRequest request)
        {
            if (_count == _items.Length)
            {
                return false;
            }

            _items[_count++] = request;
            return true;
        }
    }
}
