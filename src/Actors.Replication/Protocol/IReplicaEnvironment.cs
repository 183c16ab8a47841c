using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Protocol;

/// <summary>
/// Everything a <see cref="Replica"/> asks of the world. The replica never waits: each request's outcome comes back
/// later through the matching <c>Replica.On...</c> method, on the same thread that drives the replica.
/// </summary>
/// <remarks>
/// Contracts a driver must keep (the simulator checks the protocol under exactly these):
/// <list type="bullet">
/// <item><see cref="Send"/> may lose, delay, duplicate or reorder messages.</item>
/// <item>Disk operations (<see cref="WriteEntries"/>, <see cref="Truncate"/>) are applied in the order requested;
/// <see cref="Sync"/> completes (<c>Replica.OnSynced</c>) only when every operation requested before it is on
/// stable storage. A crash keeps the synced state plus any prefix of the unsynced operations.</item>
/// <item><see cref="PersistEpoch"/> is durable when it returns (a small metadata write with its own sync).</item>
/// <item>Configuration reads and writes go to a linearizable store (<see cref="IReplicaConfigurationStore"/>);
/// their replies may be lost or late, a write may take effect without its reply arriving.</item>
/// </list>
/// </remarks>
public interface IReplicaEnvironment
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="to"/> (best effort).</summary>
    void Send(ReplicaId to, ReplicationMessage message);

    /// <summary>Writes <paramref name="entries"/> at offsets <paramref name="firstOffset"/>.. of the local log (not yet synced).</summary>
    void WriteEntries(long firstOffset, IReadOnlyList<LogEntry> entries);

    /// <summary>Removes every local log entry after <paramref name="length"/> (not yet synced).</summary>
    void Truncate(long length);

    /// <summary>Makes every disk operation requested so far durable; completion arrives as <c>Replica.OnSynced(token)</c>.</summary>
    void Sync(long token);

    /// <summary>Durably records that this replica has entered <paramref name="epoch"/> (it will refuse older epochs, even after a restart).</summary>
    void PersistEpoch(long epoch);

    /// <summary>Reads the configuration; the answer arrives as <c>Replica.OnConfigurationRead</c>.</summary>
    void ReadConfiguration();

    /// <summary>Conditionally writes a configuration; the answer arrives as <c>Replica.OnConfigurationWritten</c>.</summary>
    void WriteConfiguration(long expectedVersion, ReplicaConfiguration proposal);

    /// <summary>The append <paramref name="requestId"/> is acknowledged: entry <paramref name="offset"/> of <paramref name="epoch"/> is durable on the leader and every in-sync replica.</summary>
    void Acknowledge(long requestId, long offset, long epoch);

    /// <summary>
    /// The append <paramref name="requestId"/> will not be acknowledged by this replica. When <paramref name="appended"/>
    /// is true it was appended and may still survive (outcome unknown: the caller must read before retrying); when false
    /// nothing was appended.
    /// </summary>
    void Abandon(long requestId, bool appended);
}
