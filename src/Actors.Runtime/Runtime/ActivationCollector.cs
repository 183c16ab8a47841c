namespace Actors.Runtime;

/// <summary>
/// Idle collection by time buckets: each valid activation is filed under the quantum in which it would become
/// collectable if it received no further call, so a collection pass visits only the activations filed under quanta that
/// have passed, never the others.
/// </summary>
/// <remarks>
/// <para>Filing is lazy: a call does not move its activation (no per-call write here). When a pass reaches an activation
/// that was used since it was filed, the activation is filed again under its new expiry; so an activation in steady use
/// costs one visit per collection age, and an idle one costs one visit when it expires.</para>
/// <para>A pass takes due activations in slices of <see cref="SliceSize"/> under the collector's lock, decides about
/// each slice outside it, starts the deactivations of the slice, and yields the thread before the next slice, so
/// collecting a million activations never holds the lock, a thread, or the pool's queue for long.</para>
/// <para>Buckets are intrusive doubly linked lists through fields of <see cref="ActivationData"/>; filing and
/// removing allocate nothing. Thread-safe; the collector's lock is innermost. An activation is removed when it starts
/// deactivating for any reason; a filing that races with the start of a deactivation is refused because both happen
/// under this lock after the activation's state changed.</para>
/// </remarks>
internal sealed class ActivationCollector
{
    /// <summary>How many activations a pass decides about before it yields.</summary>
    public const int SliceSize = 1024;

    private readonly object _lock = new();
    private readonly SortedDictionary<long, Bucket> _buckets = [];
    private readonly long _quantumTicks;
    private readonly object _passLock = new();
    private int _count;
    private long _examined;
    private bool _passRunning;
    private long _requestedTicks = long.MinValue;

    public ActivationCollector(TimeSpan quantum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(quantum, TimeSpan.Zero);
        _quantumTicks = quantum.Ticks;
    }

    /// <summary>How many activations are filed.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many activations passes have examined since the silo started (the cost of collection).</summary>
    public long Examined => Interlocked.Read(ref _examined);

    /// <summary>Files <paramref name="activation"/> under the quantum containing <paramref name="collectableAtTicks"/> (refiles it when already filed).</summary>
    public void Schedule(ActivationData activation, long collectableAtTicks)
    {
        long ticket = collectableAtTicks >= long.MaxValue - _quantumTicks
            ? long.MaxValue
            : ((collectableAtTicks + _quantumTicks - 1) / _quantumTicks) * _quantumTicks;
        lock (_lock)
        {
            if (!activation.IsValid)
            {
                return;
            }

            UnlinkLocked(activation);
            if (!_buckets.TryGetValue(ticket, out Bucket? bucket))
            {
                _buckets[ticket] = bucket = new Bucket();
            }

            activation.CollectorTicket = ticket;
            activation.CollectorPrevious = null;
            activation.CollectorNext = bucket.Head;
            if (bucket.Head is { } head)
            {
                head.CollectorPrevious = activation;
            }

            bucket.Head = activation;
            bucket.Count++;
            _count++;
        }
    }

    /// <summary>Unfiles <paramref name="activation"/> (it started deactivating). Idempotent.</summary>
    public void Remove(ActivationData activation)
    {
        // Always under the lock: a concurrent filing either happened before (and is undone here) or sees the activation
        // no longer valid (the caller changed its state before calling this) and refuses it.
        lock (_lock)
        {
            UnlinkLocked(activation);
        }
    }

    /// <summary>Unfiles everything (silo kill).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _buckets.Clear();
            _count = 0;
        }
    }

    /// <summary>
    /// Collects what is due up to <paramref name="nowTicks"/>. Passes never overlap: a request that arrives while a pass
    /// runs is taken over by that pass, which runs again for the latest requested time before it ends (so a request is
    /// never lost, however the timer and the pass interleave). Returns how many activations this call's passes started
    /// deactivating (0 when the request was handed to a running pass).
    /// </summary>
    public async Task<int> CollectAsync(long nowTicks, CancellationToken cancellationToken)
    {
        long now;
        lock (_passLock)
        {
            _requestedTicks = Math.Max(_requestedTicks, nowTicks);
            if (_passRunning)
            {
                return 0;
            }

            _passRunning = true;
            now = _requestedTicks;
        }

        int collected = 0;
        try
        {
            while (true)
            {
                collected += await PassAsync(now, cancellationToken);
                lock (_passLock)
                {
                    if (_requestedTicks <= now || cancellationToken.IsCancellationRequested)
                    {
                        _passRunning = false;
                        return collected;
                    }

                    now = _requestedTicks;
                }
            }
        }
        catch
        {
            lock (_passLock)
            {
                _passRunning = false;
            }

            throw;
        }
    }

    private async Task<int> PassAsync(long nowTicks, CancellationToken cancellationToken)
    {
        int collected = 0;
        var slice = new List<ActivationData>(SliceSize);
        var refile = new List<(ActivationData Activation, long CollectableAt)>();
        while (!cancellationToken.IsCancellationRequested && TakeDueSlice(nowTicks, slice))
        {
            Interlocked.Add(ref _examined, slice.Count);
            foreach (ActivationData activation in slice)
            {
                if (activation.TryCollect(nowTicks, out long collectableAt))
                {
                    collected++;
                }
                else if (collectableAt != 0)
                {
                    refile.Add((activation, collectableAt));
                }
            }

            foreach ((ActivationData activation, long collectableAt) in refile)
            {
                Schedule(activation, collectableAt);
            }

            slice.Clear();
            refile.Clear();

            // Let the deactivations just started, and everything else waiting for a thread, run first.
            await Task.Yield();
        }

        return collected;
    }

    private bool TakeDueSlice(long nowTicks, List<ActivationData> slice)
    {
        lock (_lock)
        {
            while (slice.Count < SliceSize && _buckets.Count > 0)
            {
                KeyValuePair<long, Bucket> first = _buckets.First();
                if (first.Key > nowTicks)
                {
                    break;
                }

                Bucket bucket = first.Value;
                while (slice.Count < SliceSize && bucket.Head is { } activation)
                {
                    UnlinkLocked(activation);
                    slice.Add(activation);
                }

                if (bucket.Count == 0)
                {
                    _buckets.Remove(first.Key);
                }
            }
        }

        return slice.Count > 0;
    }

    private void UnlinkLocked(ActivationData activation)
    {
        if (activation.CollectorTicket == 0 || !_buckets.TryGetValue(activation.CollectorTicket, out Bucket? bucket))
        {
            return;
        }

        if (activation.CollectorPrevious is { } previous)
        {
            previous.CollectorNext = activation.CollectorNext;
        }
        else
        {
            bucket.Head = activation.CollectorNext;
        }

        if (activation.CollectorNext is { } next)
        {
            next.CollectorPrevious = activation.CollectorPrevious;
        }

        long ticket = activation.CollectorTicket;
        activation.CollectorPrevious = null;
        activation.CollectorNext = null;
        activation.CollectorTicket = 0;
        bucket.Count--;
        _count--;
        if (bucket.Count == 0)
        {
            _buckets.Remove(ticket);
        }
    }

    /// <summary>The activations filed under one quantum.</summary>
    private sealed class Bucket
    {
        public ActivationData? Head { get; set; }

        public int Count { get; set; }
    }
}
