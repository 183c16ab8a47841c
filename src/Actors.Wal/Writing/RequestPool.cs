namespace Actors.Wal.Writing;

/// <summary>
/// A bounded, lock-free pool of <see cref="StreamWriteRequest"/>s (one per log), so the append path allocates nothing
/// in steady state. Any thread rents and returns; a full pool drops the returned object, an empty one allocates.
/// </summary>
/// <remarks>
/// A ring of slots claimed with compare-and-swap. Each thread probes from its own moving start point, so threads that
/// only rent (callers) and threads that return (the committer) meet without contending on one shared counter.
/// </remarks>
internal sealed class RequestPool
{
    private const int Probes = 32;

    [ThreadStatic]
    private static uint _threadCursor;

    private readonly StreamWriteRequest?[] _items;
    private readonly uint _mask;

    /// <summary>Creates a pool keeping up to <paramref name="capacity"/> (a power of two) idle requests.</summary>
    public RequestPool(int capacity = 1024)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be a power of two.");
        }

        _items = new StreamWriteRequest?[capacity];
        _mask = (uint)capacity - 1;
    }

    /// <summary>A request ready to fill.</summary>
    public StreamWriteRequest Rent()
    {
        uint start = NextStart();
        for (uint i = 0; i < Probes; i++)
        {
            ref StreamWriteRequest? slot = ref _items[(start + i) & _mask];
            var item = Volatile.Read(ref slot);
            if (item is not null && Interlocked.CompareExchange(ref slot, null, item) == item)
            {
                return item;
            }
        }

        return new StreamWriteRequest(this);
    }

    /// <summary>Returns a request whose two owners are done with it.</summary>
    public void Return(StreamWriteRequest request)
    {
        uint start = NextStart();
        for (uint i = 0; i < Probes; i++)
        {
            ref StreamWriteRequest? slot = ref _items[(start + i) & _mask];
            if (Volatile.Read(ref slot) is null && Interlocked.CompareExchange(ref slot, request, null) is null)
            {
                return;
            }
        }
    }

    private static uint NextStart()
    {
        if (_threadCursor == 0)
        {
            _threadCursor = (uint)Environment.CurrentManagedThreadId * 2654435761u | 1;
        }

        _threadCursor += Probes;
        return _threadCursor;
    }
}
