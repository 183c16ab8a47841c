namespace Actors.Replication.Wal;

/// <summary>
/// The exact counts a <see cref="ReplicaHost"/> keeps of what it did (<see cref="ReplicaHostCounters"/>): the driver
/// loop and the callers' threads add to them, any thread takes a <see cref="Snapshot"/>.
/// </summary>
/// <remarks>Thread-safe: every count is added to and read with interlocked operations.</remarks>
internal sealed class ReplicaHostCounting
{
    private long _appendsProposed;
    private long _appendsAcknowledged;
    private long _entriesWritten;
    private long _syncs;
    private long _entriesWrittenAsLeader;
    private long _syncsAsLeader;
    private long _bursts;
    private long _messagesSent;
    private long _messagesReceived;
    private long _entriesSent;
    private long _checkpointsWritten;
    private long _segmentsDeleted;
    private long _checkpointsInstalled;
    private long _checkpointChunksSent;
    private long _checkpointTransfersRefused;
    private long _handOversStarted;

    /// <summary>The counts now (each read independently, so a snapshot taken under load may mix bursts).</summary>
    public ReplicaHostCounters Snapshot() => new(
        Interlocked.Read(ref _appendsProposed),
        Interlocked.Read(ref _appendsAcknowledged),
        Interlocked.Read(ref _entriesWritten),
        Interlocked.Read(ref _syncs),
        Interlocked.Read(ref _bursts),
        Interlocked.Read(ref _messagesSent),
        Interlocked.Read(ref _messagesReceived),
        Interlocked.Read(ref _entriesSent),
        Interlocked.Read(ref _checkpointsWritten),
        Interlocked.Read(ref _segmentsDeleted),
        Interlocked.Read(ref _checkpointsInstalled),
        Interlocked.Read(ref _checkpointChunksSent),
        Interlocked.Read(ref _checkpointTransfersRefused),
        Interlocked.Read(ref _entriesWrittenAsLeader),
        Interlocked.Read(ref _syncsAsLeader),
        Interlocked.Read(ref _handOversStarted));

    public void HandOverStarted() => Interlocked.Increment(ref _handOversStarted);

    public void AppendProposed() => Interlocked.Increment(ref _appendsProposed);

    public void AppendAcknowledged() => Interlocked.Increment(ref _appendsAcknowledged);

    /// <summary><paramref name="count"/> entries written to the log, while the replica led or not.</summary>
    public void EntriesWritten(int count, bool asLeader)
    {
        Interlocked.Add(ref _entriesWritten, count);
        if (asLeader)
        {
            Interlocked.Add(ref _entriesWrittenAsLeader, count);
        }
    }

    /// <summary>One sync of the log completed, while the replica led or not.</summary>
    public void Synced(bool asLeader)
    {
        Interlocked.Increment(ref _syncs);
        if (asLeader)
        {
            Interlocked.Increment(ref _syncsAsLeader);
        }
    }

    public void Burst() => Interlocked.Increment(ref _bursts);

    public void MessageSent() => Interlocked.Increment(ref _messagesSent);

    public void MessageReceived() => Interlocked.Increment(ref _messagesReceived);

    public void EntriesSent(int count) => Interlocked.Add(ref _entriesSent, count);

    public void CheckpointWritten() => Interlocked.Increment(ref _checkpointsWritten);

    public void SegmentsDeleted(int count) => Interlocked.Add(ref _segmentsDeleted, count);

    public void CheckpointInstalled() => Interlocked.Increment(ref _checkpointsInstalled);

    /// <summary>One chunk of a checkpoint sent (a message too).</summary>
    public void CheckpointChunkSent()
    {
        Interlocked.Increment(ref _messagesSent);
        Interlocked.Increment(ref _checkpointChunksSent);
    }

    public void CheckpointTransferRefused() => Interlocked.Increment(ref _checkpointTransfersRefused);
}
