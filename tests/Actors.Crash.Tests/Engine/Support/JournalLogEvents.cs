using Actors.Wal.Entries;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>What a record of a log in the entry journal does: an entry, a truncation after an LSN, or a reset to an installed checkpoint.</summary>
internal enum HistoryRecordKind
{
    Entry,
    Truncate,
    Reset,
}

/// <summary>One record a log's owner made the journal write, with the disk operation count before the call that wrote it (no byte of it can be on disk before that).</summary>
internal sealed record HistoryRecord(HistoryRecordKind Kind, long Lsn, long Epoch, byte[] Payload, int IssuedAtOp);

/// <summary>A checkpoint written (or installed: <see cref="ResetRecord"/> is its reset record's index) by a log's owner: when the call began and when it returned.</summary>
internal sealed record CheckpointEvent(EntryLogCheckpoint Checkpoint, int? ResetRecord, int StartedAtOp)
{
    public int? AckedAtOp { get; set; }
}

/// <summary>An entered epoch a log's owner persisted: when the call began and when it returned.</summary>
internal sealed record EpochEvent(long Epoch, int StartedAtOp)
{
    public int? AckedAtOp { get; set; }
}

/// <summary>
/// One <see cref="JournaledEntryLog.RequestSync(Action{object?}, object?)"/>: the log's records up to <see cref="Records"/>
/// are acknowledged durable when the journal reports the sync complete (the callback <c>ReplicaHost</c> relies on), at the
/// disk operation count the callback saw.
/// </summary>
internal sealed class PendingAck(SimulatedDisk disk, int records)
{
    private int _op = -1;

    public int Records => records;

    public EntryLogSync? Sync { get; set; }

    /// <summary>The callback: the disk operation count now is an upper bound on the fsync that completed the sync.</summary>
    public static void OnComplete(object? state)
    {
        var ack = (PendingAck)state!;
        Volatile.Write(ref ack._op, ack.Disk.OperationCount);
    }

    public SimulatedDisk Disk => disk;

    /// <summary>The operation count at the acknowledgment, or null when the sync faulted (the journal closed first) or was not observed.</summary>
    public int? AckedAtOp => Sync is { Completion.IsCompletedSuccessfully: true } && Volatile.Read(ref _op) is >= 0 and var op ? op : null;
}

/// <summary>What a crash cut before disk operation k may recover of one log (see <see cref="JournalLogHistory.RequirementAt"/>).</summary>
internal readonly record struct LogRequirement(int MinRecords, int MaxRecords, int MinCheckpoint, int MaxCheckpoint, long MinEpoch, long MaxEpoch)
{
    public override string ToString() => $"{MinRecords}-{MaxRecords}/{MinCheckpoint}-{MaxCheckpoint}/{MinEpoch}-{MaxEpoch}";
}
