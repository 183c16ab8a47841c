using Actors.Wal;

namespace Actors.Replication.Wal.Materialized;

/// <summary>
/// Turns a replica's materialized log (the <see cref="IEventLog"/> a <see cref="EventLog.CommittedEntryApplier"/> writes)
/// into the bytes of a checkpoint state, and a checkpoint state back into a materialized log.
/// </summary>
/// <remarks>
/// The applier calls both members from its own loop only, and only while no write it handed to the local log is
/// outstanding, so the log holds exactly the committed entries applied so far. An implementation must make
/// <see cref="RestoreAsync"/>(<see cref="CaptureAsync"/>(log)) a log with the same streams, events, checkpoints, versions
/// and deletions as that log.
/// </remarks>
public interface IMaterializedLogState
{
    /// <summary>The whole content of <paramref name="local"/> as bytes (the caller owns them).</summary>
    /// <exception cref="MaterializedStateException">The content could not be captured.</exception>
    ValueTask<byte[]> CaptureAsync(IEventLog local, CancellationToken cancellationToken);

    /// <summary>
    /// Closes <paramref name="current"/> (it is discarded) and opens a log holding exactly <paramref name="state"/>, as
    /// <see cref="CaptureAsync"/> captured it.
    /// </summary>
    /// <exception cref="MaterializedStateException"><paramref name="state"/> is not a captured state, or it could not be restored.</exception>
    ValueTask<IEventLog> RestoreAsync(IEventLog current, ReadOnlyMemory<byte> state, CancellationToken cancellationToken);
}
