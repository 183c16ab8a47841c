using Actors.Replication.Log;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// A replica's disk: what is synced survives a crash; of the operations written but not synced, a crash keeps a random
/// prefix (the simulator's RNG decides how much), as a file system may have flushed some of them on its own.
/// </summary>
public sealed class SimulatedDisk
{
    private readonly List<LogEntry> _durable = [];
    private readonly List<(long Sequence, Action<List<LogEntry>> Apply)> _unsynced = [];
    private long _nextSequence;

    /// <summary>The synced entries.</summary>
    public IReadOnlyList<LogEntry> DurableEntries => _durable;

    /// <summary>The epoch last persisted (a metadata write with its own sync).</summary>
    public long DurableEpoch { get; set; }

    /// <summary>Queues a write of <paramref name="entries"/> at <paramref name="firstOffset"/>...</summary>
    public void Write(long firstOffset, IReadOnlyList<LogEntry> entries)
    {
        var copy = entries.ToArray();
        Queue(log =>
        {
            if (log.Count != firstOffset - 1)
            {
                throw new InvalidOperationException($"write at offset {firstOffset} onto a log of {log.Count} entries: the replica's disk operations are out of order");
            }

            log.AddRange(copy);
        });
    }

    /// <summary>Queues a truncation to <paramref name="length"/> entries.</summary>
    public void Truncate(long length) => Queue(log =>
    {
        if (log.Count > length)
        {
            log.RemoveRange((int)length, log.Count - (int)length);
        }
    });

    /// <summary>The sequence number a sync requested now must cover.</summary>
    public long SyncPoint => _nextSequence;

    /// <summary>Makes every operation queued before <paramref name="syncPoint"/> durable.</summary>
    public void CompleteSync(long syncPoint)
    {
        var count = 0;
        while (count < _unsynced.Count && _unsynced[count].Sequence < syncPoint)
        {
            _unsynced[count].Apply(_durable);
            count++;
        }

        _unsynced.RemoveRange(0, count);
    }

    /// <summary>A crash: the first <paramref name="survivingOperations"/> unsynced operations reach the disk, the rest are lost.</summary>
    public void Crash(int survivingOperations)
    {
        for (var i = 0; i < Math.Min(survivingOperations, _unsynced.Count); i++)
        {
            _unsynced[i].Apply(_durable);
        }

        _unsynced.Clear();
    }

    /// <summary>How many operations are written but not synced.</summary>
    public int UnsyncedCount => _unsynced.Count;

    private void Queue(Action<List<LogEntry>> apply) => _unsynced.Add((_nextSequence++, apply));
}
