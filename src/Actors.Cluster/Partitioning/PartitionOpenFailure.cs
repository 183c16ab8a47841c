using Actors.Replication;
using Actors.Replication.Wal;
using Actors.Wal;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// Why this silo's last open of a partition failed, and what follows: a transient failure is retried once
/// <see cref="RetryAt"/> has passed (at once when the partition is granted here again under a later epoch), and calls for
/// the partition wait meanwhile; a permanent one leaves the partition <see cref="LocalPartitionState.Lost"/> here for as
/// long as this silo owns it, and its calls fail with the <see cref="Reason"/>.
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Epoch">The epoch it was being opened under.</param>
/// <param name="Reason">What failed (the exception's type and message), for the log and for the calls that wait or fail.</param>
/// <param name="Cause">The exception, or null when the open never started (this silo's replica did not lead the epoch).</param>
/// <param name="IsPermanent">Whether opening again cannot help (see <see cref="IsPermanentCause"/>).</param>
/// <param name="Attempts">Consecutive failed opens under <paramref name="Epoch"/>.</param>
/// <param name="RetryAt">When the next open under <paramref name="Epoch"/> may start (transient failures only).</param>
internal sealed record PartitionOpenFailure(int Partition, long Epoch, string Reason, Exception? Cause, bool IsPermanent, int Attempts, DateTimeOffset RetryAt)
{
    /// <summary>
    /// The failure of an open of <paramref name="partition"/> under <paramref name="epoch"/> that follows
    /// <paramref name="previous"/> (the partition's last failure here, or null): attempts count up under one epoch, and the
    /// wait before the next doubles from <paramref name="firstDelay"/> up to <paramref name="maxDelay"/>.
    /// </summary>
    public static PartitionOpenFailure Next(
        PartitionOpenFailure? previous, int partition, long epoch, string reason, Exception? cause, DateTimeOffset now, TimeSpan firstDelay, TimeSpan maxDelay)
    {
        int attempts = previous is { } last && last.Epoch == epoch ? last.Attempts + 1 : 1;
        bool permanent = cause is not null && IsPermanentCause(cause);
        return new PartitionOpenFailure(
            partition, epoch, reason, cause, permanent, attempts, permanent ? DateTimeOffset.MaxValue : now + DoublingBackOff.Delay(attempts, firstDelay, maxDelay));
    }

    /// <summary>
    /// Whether an open that failed with <paramref name="cause"/> cannot succeed by trying again: the log is damaged, of an
    /// unknown format or encrypted with a key this silo lacks; this silo's replica stopped or broke a protocol invariant;
    /// this process may not read the files. Anything else (a replica that lost its leadership before or after appending the
    /// epoch record, an I/O error, a log directory still locked, a fence) may pass, so the open is retried.
    /// </summary>
    public static bool IsPermanentCause(Exception cause) => cause is LogCorruptedException or UnsupportedFormatVersionException
        or EncryptionKeyMismatchException or EncryptionKeyNotFoundException or MalformedReplicatedOperationException or MaterializedStateException
        or ReplicaHostFailedException or ReplicationInvariantException or UnauthorizedAccessException;

    /// <summary>What a call for the partition is told while this failure decides its route.</summary>
    public string Describe() => IsPermanent
        ? $"opening it under epoch {Epoch} failed permanently ({Reason}); this silo does not serve it while it owns it under that epoch"
        : $"opening it under epoch {Epoch} failed ({Reason}; attempt {Attempts}); the next attempt is due at {RetryAt:HH:mm:ss.fff} UTC";
}
