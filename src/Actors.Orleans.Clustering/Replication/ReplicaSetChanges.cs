using Actors.Orleans.Clustering.Partitioning;
using Actors.Replication;
using Actors.Replication.Configuration;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// What the passes that change replica sets from the partitions' leader share (<see cref="ReplicaBalancer"/>,
/// <see cref="AbsentReplicaReplacer"/>): this silo's replica and the ones it runs, the rows, which replicas are active,
/// the leader's change with its timeout, and the note that a replica joined (which makes a leadership rebalance due).
/// </summary>
/// <remarks>Thread-safe (each member reads or delegates).</remarks>
/// <param name="replica">This silo's replica.</param>
/// <param name="replicas">The replicas this silo runs.</param>
/// <param name="view">The cached rows and replica addresses.</param>
/// <param name="membership">Orleans's membership (which silos are active).</param>
/// <param name="joined">Called with a replica that joined a partition (the <see cref="LeadershipRebalancer"/>'s
/// <see cref="LeadershipRebalancer.NoteJoined"/>), or null.</param>
/// <param name="time">The clock (null: the system's).</param>
internal sealed class ReplicaSetChanges(
    ClusterReplica replica,
    SiloReplicas replicas,
    PartitionView view,
    IClusterMembershipService membership,
    Action<int>? joined = null,
    TimeProvider? time = null)
{
    /// <summary>How long one change may take to show in the leader's configuration before the pass moves on.</summary>
    public static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>This silo's replica.</summary>
    public ReplicaId Me => new(replica.Id);

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>Every registered replica and its silo's address.</summary>
    public IReadOnlyDictionary<int, string> Registered => view.Replicas;

    /// <summary>The registered replicas on silos Orleans lists as active now (this silo's always), with their addresses.</summary>
    public Dictionary<int, string> Active() => ActiveReplicas.Of(view.Replicas, membership, replica);

    /// <summary>Every partition's row, as of a read that began after this call.</summary>
    public Task<Dictionary<int, ReplicaConfiguration>> ReadRowsAsync() => replicas.Reads.ReadAsync();

    /// <summary>This silo's replica of <paramref name="partition"/> when it leads in <paramref name="row"/>'s epoch, else null.</summary>
    public HeldReplica? Leading(int partition, ReplicaConfiguration row) =>
        row.Leader == Me && replicas.Get(partition) is { } leader && leader.Host.Status.Epoch == row.Epoch ? leader : null;

    /// <summary>The leader's change of the replica set (<see cref="Actors.Replication.Wal.ReplicaHost.ChangeReplicasAsync"/>) within <see cref="ChangeTimeout"/>; true when it took effect.</summary>
    public Task<bool> ChangeAsync(HeldReplica leader, ReplicaId? remove, ReplicaId? add) =>
        leader.Host.ChangeReplicasAsync(remove, add, ChangeTimeout);

    /// <summary>The leader's removal of a follower (<see cref="Actors.Replication.Wal.ReplicaHost.RemoveFollowerAsync"/>) within <see cref="ChangeTimeout"/>; true when it took effect.</summary>
    public Task<bool> RemoveFollowerAsync(HeldReplica leader, ReplicaId follower) =>
        leader.Host.RemoveFollowerAsync(follower, ChangeTimeout);

    /// <summary>Notes that <paramref name="joining"/> joined a partition (a leadership rebalance becomes due).</summary>
    public void NoteJoined(int joining) => joined?.Invoke(joining);
}
