using Actors.Wal.Index;

namespace Actors.Wal.Maintenance;

/// <summary>
/// The streams whose read chain grew long enough for chain consolidation
/// (<see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/>), waiting for the maintenance thread: each stream at most
/// once, at most <see cref="Capacity"/> of them.
/// </summary>
/// <remarks>
/// Ownership: the committer adds, the maintenance thread takes; one lock guards the queue and its counts. A stream refused
/// because the queue is full is asked for again when its chain has grown by another
/// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records, so nothing depends on every request being kept.
/// </remarks>
internal sealed class ConsolidationQueue
{
    /// <summary>The most streams waiting at once.</summary>
    public const int Capacity = 4096;

    private readonly Queue<HotStream> _streams = new();
    private readonly HashSet<HotStream> _queued = new(ReferenceEqualityComparer.Instance);
    private long _added;
    private long _done;
    private long _dropped;

    /// <summary>Streams ever accepted (a waiter compares <see cref="Done"/> with the value it saw).</summary>
    public long Added
    {
        get
        {
            lock (_streams)
            {
                return _added;
            }
        }
    }

    /// <summary>Of <see cref="Added"/>, how many the maintenance thread has handled (consolidated or skipped).</summary>
    public long Done
    {
        get
        {
            lock (_streams)
            {
                return _done;
            }
        }
    }

    /// <summary>Requests refused because <see cref="Capacity"/> streams were waiting.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True when no stream waits.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_streams)
            {
                return _streams.Count == 0;
            }
        }
    }

    /// <summary>Queues <paramref name="stream"/> unless it waits already or the queue is full; true when queued.</summary>
    public bool TryAdd(HotStream stream)
    {
        lock (_streams)
        {
            if (_queued.Contains(stream))
            {
                return false;
            }

            if (_streams.Count >= Capacity)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            _queued.Add(stream);
            _streams.Enqueue(stream);
            _added++;
            return true;
        }
    }

    /// <summary>Moves every waiting stream into <paramref name="into"/>; returns the <see cref="Added"/> count they reach.</summary>
    public long TakeAll(List<HotStream> into)
    {
        lock (_streams)
        {
            into.AddRange(_streams);
            _streams.Clear();
            _queued.Clear();
            return _added;
        }
    }

    /// <summary>Records that everything up to <paramref name="through"/> (a <see cref="TakeAll"/> result) was handled.</summary>
    public void MarkDone(long through)
    {
        lock (_streams)
        {
            _done = Math.Max(_done, through);
        }
    }
}
