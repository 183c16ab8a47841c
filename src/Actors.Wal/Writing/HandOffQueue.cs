using System.Runtime.CompilerServices;

namespace Actors.Wal.Writing;

/// <summary>An item of a <see cref="HandOffQueue{T}"/>: intrusively linked, and able to act as the close marker.</summary>
internal interface IHandOffItem<T>
    where T : class
{
    /// <summary>The next item (owned by the queue).</summary>
    T? Next { get; set; }

    /// <summary>True for the close marker the queue pushes when it is closed.</summary>
    bool IsCloseMarker { get; }
}

/// <summary>
/// The hand-off between any number of enqueuing threads and one consumer at a time (callers to the writer, which the
/// enqueuing threads drain in turn; the writer to the committer thread): a lock-free intrusive stack (pushes are one
/// compare-and-swap; the consumer takes everything at once and restores arrival order) plus a consumer thread's wake-up
/// signal.
/// </summary>
/// <remarks>
/// <para>Ownership: producers only push; only the consumer takes (<see cref="TakeAll"/>), and only a consumer with a
/// thread of its own waits (<see cref="WaitForWork"/>). "The writer" below is that consumer.</para>
/// <para>No lost wake-up: the writer announces it is about to sleep (<c>_sleeping = 1</c>, a full fence), then looks at
/// the queue once more before blocking; a producer pushes (a full fence), then looks at <c>_sleeping</c>. Whatever the
/// interleaving, either the writer sees the new request or the producer sees the announcement and sets the signal (which
/// stays set until the writer's wait consumes it). <c>tests/Actors.Wal.Tests/Interleaving</c> runs every interleaving of
/// these steps with one producer (with two producers, or a close racing a push: every one with up to two preemptions)
/// and fails on a consumer left asleep with work queued or an accepted item lost behind a close. It runs the steps one
/// at a time, so it explores orders, not memory reorderings: the fences are argued here, not tested.</para>
/// <para>Closing pushes a sentinel: later pushes fail (the caller reports the log as closed) and the writer learns it
/// must stop once it has taken everything queued before.</para>
/// </remarks>
internal sealed class HandOffQueue<T>
    where T : class, IHandOffItem<T>
{
    private readonly Func<T> _closeMarker;
    private readonly T _closedEmpty;
    private readonly IWakeSignal _signal;
    private readonly IInterleavingProbe? _probe;
    private readonly bool _countsPending;
    private T? _head;
    private int _sleeping;
    private int _pending;

    /// <summary>Creates a queue; <paramref name="signal"/> and <paramref name="probe"/> are replaced only by interleaving tests.</summary>
    /// <param name="closeMarker">Creates a close marker (an item whose <see cref="IHandOffItem{T}.IsCloseMarker"/> is true).</param>
    /// <param name="countsPending">
    /// Keeps <see cref="Pending"/> (an atomic increment per push and an atomic addition per take, on the queue's own
    /// line): for a queue whose items are few (the committer's groups), never for the per-append request queue.
    /// </param>
    /// <param name="signal">The consumer's wake-up signal.</param>
    /// <param name="probe">Observes the hand-off's steps.</param>
    public HandOffQueue(Func<T> closeMarker, bool countsPending = false, IWakeSignal? signal = null, IInterleavingProbe? probe = null)
    {
        _closeMarker = closeMarker;
        _closedEmpty = closeMarker();
        _countsPending = countsPending;
        _signal = signal ?? new EventWakeSignal();
        _probe = probe;
    }

    /// <summary>True while anything is queued (or the close marker waits to be seen). Any thread; a volatile read.</summary>
    public bool HasWork => Volatile.Read(ref _head) is not null;

    /// <summary>
    /// Items pushed and not yet taken, for tests that build group commits deterministically; always 0 unless the queue was
    /// created to count them.
    /// </summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Pushes <paramref name="request"/>; false when the queue is closed (nothing was queued). Any thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryEnqueue(T request)
    {
        if (_countsPending)
        {
            Interlocked.Increment(ref _pending); // before the push: a consumer's take never makes the count negative
        }

        while (true)
        {
            var head = Volatile.Read(ref _head);
            if (head is { IsCloseMarker: true })
            {
                if (_countsPending)
                {
                    Interlocked.Decrement(ref _pending);
                }

                return false;
            }

            request.Next = head;
            _probe?.Reached(InterleavingPoint.BeforePush);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _head, request, head), head))
            {
                break;
            }
        }

        _probe?.Reached(InterleavingPoint.AfterPush);
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            _probe?.Reached(InterleavingPoint.BeforeWake);
            _signal.Set();
        }

        return true;
    }

    /// <summary>
    /// Takes every queued request in arrival order (the consumer). <paramref name="closed"/> is true once the queue was
    /// closed: nothing else can arrive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T? TakeAll(out bool closed)
    {
        T? chain;
        while (true)
        {
            var head = Volatile.Read(ref _head);
            if (head is null)
            {
                closed = false;
                return null;
            }

            if (head.IsCloseMarker)
            {
                closed = true;
                if (head.Next is null)
                {
                    return null;
                }

                _probe?.Reached(InterleavingPoint.BeforeTake);
                if (ReferenceEquals(Interlocked.CompareExchange(ref _head, _closedEmpty, head), head))
                {
                    chain = head.Next;
                    break;
                }

                continue;
            }

            // A compare-and-swap, not an exchange: a close that lands meanwhile must keep its sentinel at the head.
            _probe?.Reached(InterleavingPoint.BeforeTake);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _head, null, head), head))
            {
                closed = false;
                chain = head;
                break;
            }
        }

        _probe?.Reached(InterleavingPoint.AfterTake);
        T? ordered = null;
        int count = 0;
        while (chain is not null)
        {
            var next = chain.Next;
            chain.Next = ordered;
            ordered = chain;
            chain = next;
            count++;
        }

        if (_countsPending)
        {
            Interlocked.Add(ref _pending, -count);
        }

        return ordered;
    }

    /// <summary>Blocks the consumer's thread (one that has its own) until a request is queued (or the queue is closed).</summary>
    public void WaitForWork()
    {
        _signal.Reset();
        Interlocked.Exchange(ref _sleeping, 1);
        _probe?.Reached(InterleavingPoint.AfterAnnounceSleep);
        if (Volatile.Read(ref _head) is not null)
        {
            Interlocked.Exchange(ref _sleeping, 0);
            return;
        }

        _probe?.Reached(InterleavingPoint.BeforeBlock);
        _signal.Wait();
    }

    /// <summary>Refuses further pushes and wakes the writer so it drains what was queued and stops. Any thread.</summary>
    public void Close()
    {
        while (true)
        {
            var head = Volatile.Read(ref _head);
            if (head is { IsCloseMarker: true })
            {
                break;
            }

            // The marker goes on top: items queued before it stay reachable (and are drained), later pushes fail.
            T sentinel = head is null ? _closedEmpty : _closeMarker();
            if (head is not null)
            {
                sentinel.Next = head;
            }

            _probe?.Reached(InterleavingPoint.BeforeClose);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _head, sentinel, head), head))
            {
                break;
            }
        }

        Interlocked.Exchange(ref _sleeping, 0);
        _signal.Set();
    }
}
