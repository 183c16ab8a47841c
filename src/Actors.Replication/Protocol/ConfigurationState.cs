using Actors.Replication.Configuration;

namespace Actors.Replication.Protocol;

/// <summary>
/// What a replica knows of the configuration store: the newest configuration it has taken as its view, its conditional
/// write whose outcome is not known yet, whether it wants an election, the highest epoch it has seen and when it last
/// asked to read.
/// </summary>
/// <remarks>
/// Contract: this class holds the state; the replica decides every transition (Replica.Configuration.cs has the rules).
/// At most one write is pending; it is resolved (forgotten) only by an observation of a version above the one it was
/// conditioned on, by the replica becoming leader through it, or by stepping down. The highest epoch seen only grows.
/// Times are readings of the replica's real clock (<see cref="TimeProvider.GetTimestamp"/>).
/// Not thread-safe: the replica's driver thread uses it.
/// </remarks>
/// <param name="lastRead">The clock reading at the replica's start (counts as the last read for the poll interval).</param>
internal sealed class ConfigurationState(long lastRead)
{
    private long _highestEpochSeen;

    /// <summary>The configuration this replica acts on (null before its first read).</summary>
    public ReplicaConfiguration? View { get; private set; }

    /// <summary>The conditional write sent to the store whose outcome is not known yet (null: none).</summary>
    public PendingConfigurationWrite? PendingWrite { get; private set; }

    /// <summary>Whether the leader timed out and the next read is to decide on an election.</summary>
    public bool ElectionWanted { get; set; }

    /// <summary>When this replica last asked to read the configuration.</summary>
    public long LastRead { get; private set; } = lastRead;

    /// <summary>Makes <paramref name="configuration"/> the view.</summary>
    public void Adopt(ReplicaConfiguration configuration) => View = configuration;

    /// <summary>Raises the highest epoch seen to <paramref name="epoch"/>; true when it was higher than any seen before.</summary>
    public bool SawEpoch(long epoch)
    {
        if (epoch <= _highestEpochSeen)
        {
            return false;
        }

        _highestEpochSeen = epoch;
        return true;
    }

    /// <summary>Records a read request sent at <paramref name="timestamp"/>.</summary>
    public void ReadRequested(long timestamp) => LastRead = timestamp;

    /// <summary>Records <paramref name="write"/> as sent (or sent again) and not resolved.</summary>
    public void WriteSent(PendingConfigurationWrite write) => PendingWrite = write;

    /// <summary>Forgets the pending write (resolved, taken effect, or no longer this replica's concern).</summary>
    public void ForgetPendingWrite() => PendingWrite = null;
}
