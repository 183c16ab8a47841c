using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Actors.Replication.Log;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// A replica's disk: a log that starts after <see cref="DurableBase"/> and a checkpoint file. Of the log operations
/// (writes, truncations, prefix deletions, checkpoint installs) what is synced survives a crash, and of those written but
/// not synced a crash keeps a random prefix (the simulator's RNG decides how much), as a file system may have flushed
/// some of them on its own. A checkpoint write is separate: durable only once it completes.
/// </summary>
public sealed class SimulatedDisk
{
    private readonly List<LogEntry> _durable = [];

    /// <summary>The request id of each entry of <see cref="_durable"/>, at the same index.</summary>
    private readonly List<long> _durableRequestIds = [];
    private readonly List<(long Sequence, Action Apply)> _unsynced = [];
    private long _nextSequence;

    /// <summary>The synced entries, at offsets <see cref="DurableBase"/> + 1...</summary>
    public IReadOnlyList<LogEntry> DurableEntries => _durable;

    /// <summary>The synced log starts after this offset (entries up to it were deleted).</summary>
    public long DurableBase { get; private set; }

    /// <summary>The durable checkpoint (the empty one before any).</summary>
    public ReplicaCheckpoint DurableCheckpoint { get; private set; } = ReplicaCheckpoint.Empty;

    /// <summary>The synced log's last offset, or the checkpoint's when it is beyond.</summary>
    public long DurableEndOffset => Math.Max(DurableBase + _durable.Count, DurableCheckpoint.Offset);

    /// <summary>The epoch last persisted (a metadata write with its own sync).</summary>
    public long DurableEpoch { get; set; }

    /// <summary>The state a checkpoint at the end of <paramref name="requestIds"/> holds: the request ids applied, in order.</summary>
    public static byte[] State(IReadOnlyList<long> requestIds)
    {
        var bytes = new byte[requestIds.Count * 8];
        for (var i = 0; i < requestIds.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), requestIds[i]);
        }

        return bytes;
    }

    /// <summary>The request id at <paramref name="offset"/> of a checkpoint's state.</summary>
    public static long RequestIdInState(ReplicaCheckpoint checkpoint, long offset) =>
        BinaryPrimitives.ReadInt64LittleEndian(checkpoint.State.Span[(int)((offset - 1) * 8)..]);

    /// <summary>
    /// The request ids of the synced history (the checkpoint's, then the log's entries after it), or null when the log
    /// starts above the checkpoint (entries lost in between).
    /// </summary>
    public long[]? DurableHistory()
    {
        if (DurableBase > DurableCheckpoint.Offset)
        {
            return null;
        }

        var history = new long[DurableEndOffset];
        var fromCheckpoint = MemoryMarshal.Cast<byte, long>(DurableCheckpoint.State.Span[..(int)(DurableCheckpoint.Offset * sizeof(long))]);
        if (BitConverter.IsLittleEndian)
        {
            fromCheckpoint.CopyTo(history);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(fromCheckpoint, history);
        }

        var skipped = (int)(DurableCheckpoint.Offset - DurableBase);
        if (skipped < _durableRequestIds.Count)
        {
            CollectionsMarshal.AsSpan(_durableRequestIds)[skipped..].CopyTo(history.AsSpan((int)DurableCheckpoint.Offset));
        }

        return history;
    }

    /// <summary>Queues a write of <paramref name="entries"/> at <paramref name="firstOffset"/>...</summary>
    public void Write(long firstOffset, IReadOnlyList<LogEntry> entries)
    {
        var copy = entries.ToArray();
        Queue(() =>
        {
            if (DurableBase + _durable.Count != firstOffset - 1)
            {
                throw new InvalidOperationException(
                    $"write at offset {firstOffset} onto a log ending at {DurableBase + _durable.Count}: the replica's disk operations are out of order");
            }

            _durable.AddRange(copy);
            foreach (var entry in copy)
            {
                _durableRequestIds.Add(InvariantChecker.RequestIdOf(entry));
            }
        });
    }

    /// <summary>Queues a truncation to <paramref name="length"/> entries.</summary>
    public void Truncate(long length) => Queue(() =>
    {
        if (length < DurableBase)
        {
            throw new InvalidOperationException($"truncation to {length} below the log's start {DurableBase}");
        }

        var keep = (int)(length - DurableBase);
        if (_durable.Count > keep)
        {
            _durableRequestIds.RemoveRange(keep, _durable.Count - keep);
            _durable.RemoveRange(keep, _durable.Count - keep);
        }
    });

    /// <summary>Queues the deletion of the entries up to <paramref name="offset"/>.</summary>
    public void DeletePrefix(long offset) => Queue(() =>
    {
        if (offset > DurableBase)
        {
            var deleted = (int)Math.Min(_durable.Count, offset - DurableBase);
            _durable.RemoveRange(0, deleted);
            _durableRequestIds.RemoveRange(0, deleted);
            DurableBase = offset;
        }
    });

    /// <summary>Queues the atomic replacement of the log and the checkpoint by <paramref name="checkpoint"/>.</summary>
    public void Install(ReplicaCheckpoint checkpoint) => Queue(() =>
    {
        _durable.Clear();
        _durableRequestIds.Clear();
        DurableBase = checkpoint.Offset;
        DurableCheckpoint = checkpoint;
    });

    /// <summary>A checkpoint write completed: it replaces an older durable checkpoint.</summary>
    public void CompleteCheckpoint(ReplicaCheckpoint checkpoint)
    {
        if (checkpoint.Offset > DurableCheckpoint.Offset)
        {
            DurableCheckpoint = checkpoint;
        }
    }

    /// <summary>The sequence number a sync requested now must cover.</summary>
    public long SyncPoint => _nextSequence;

    /// <summary>Makes every operation queued before <paramref name="syncPoint"/> durable.</summary>
    public void CompleteSync(long syncPoint)
    {
        var count = 0;
        while (count < _unsynced.Count && _unsynced[count].Sequence < syncPoint)
        {
            _unsynced[count].Apply();
            count++;
        }

        _unsynced.RemoveRange(0, count);
    }

    /// <summary>A crash: the first <paramref name="survivingOperations"/> unsynced operations reach the disk, the rest are lost.</summary>
    public void Crash(int survivingOperations)
    {
        for (var i = 0; i < Math.Min(survivingOperations, _unsynced.Count); i++)
        {
            _unsynced[i].Apply();
        }

        _unsynced.Clear();
    }

    /// <summary>How many operations are written but not synced.</summary>
    public int UnsyncedCount => _unsynced.Count;

    private void Queue(Action apply) => _unsynced.Add((_nextSequence++, apply));
}
