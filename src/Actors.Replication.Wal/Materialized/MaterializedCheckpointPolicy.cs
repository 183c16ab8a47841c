namespace Actors.Replication.Wal.Materialized;

/// <summary>
/// When a <see cref="EventLog.CommittedEntryApplier"/> checkpoints its materialized log, and how: once it applied
/// <paramref name="EveryEntries"/> committed entries or <paramref name="EveryBytes"/> bytes of entry payloads since its
/// last checkpoint (or since it started), whichever first, it captures the log through <paramref name="State"/> and offers
/// it to its host (<see cref="ReplicaHost.CompactAsync"/>); at start, and whenever its host says the entries it needs
/// were replaced by a checkpoint, it restores the log from the host's checkpoint through <paramref name="State"/>.
/// </summary>
/// <param name="State">Captures and restores the materialized log.</param>
/// <param name="EveryEntries">Entries applied between checkpoints (at least 1).</param>
/// <param name="EveryBytes">Bytes of entry payloads applied between checkpoints (at least 1).</param>
public sealed record MaterializedCheckpointPolicy(IMaterializedLogState State, long EveryEntries, long EveryBytes)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentNullException"><see cref="State"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is below 1.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(State);
        ArgumentOutOfRangeException.ThrowIfLessThan(EveryEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(EveryBytes, 1);
    }
}
