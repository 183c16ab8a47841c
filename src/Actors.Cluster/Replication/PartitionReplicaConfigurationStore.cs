using Actors.Cluster.Membership;
using Actors.Replication;
using Actors.Replication.Configuration;

namespace Actors.Cluster.Replication;

/// <summary>
/// The replica configuration of one partition kept in the cluster's own partition row, so that replication leader and
/// partition owner are one decision: the row's owner is the leader, its epoch is the leader's epoch, its version is the
/// configuration's version, and replica <c>rN</c> is the silo at index <c>N - 1</c> of <see cref="PartitionRecord.Replicas"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every write is one <see cref="IClusterStore.TryApplyAsync"/> conditioned on the row's version and on a valid lease of
/// the silo it names leader (owner), with that silo's current incarnation as the owner's. So a configuration can never name
/// a dead silo leader, the owner and the leader cannot disagree, and any other change of the row (a claim, a hand-off)
/// moves the version the replicas condition on, which they resolve by reading, as for any lost reply.
/// </para>
/// <para>
/// A write refused only because the lease condition failed returns <see cref="ConfigurationWriteResult.Applied"/> false
/// with the unchanged current configuration (same version): the protocol treats that as a write not taken effect yet.
/// Thread-safe; store failures surface as <see cref="ReplicaConfigurationStoreException"/> naming cluster and partition.
/// </para>
/// </remarks>
internal sealed class PartitionReplicaConfigurationStore : IReplicaConfigurationStore
{
    private readonly IClusterStore _store;
    private readonly string _clusterId;
    private readonly int _partition;

    /// <summary>Creates the store of <paramref name="partition"/>'s configuration in cluster <paramref name="clusterId"/>.</summary>
    public PartitionReplicaConfigurationStore(IClusterStore store, string clusterId, int partition)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        _store = store;
        _clusterId = clusterId;
        _partition = partition;
    }

    /// <summary>The configuration a replicated row holds.</summary>
    /// <exception cref="ReplicaConfigurationStoreException">The row is not replicated or names an owner or in-sync silo outside its replicas.</exception>
    public static ReplicaConfiguration ToConfiguration(string clusterId, PartitionRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.IsReplicated || row.Owner is null)
        {
            throw new ReplicaConfigurationStoreException($"Partition {row.Partition} of cluster '{clusterId}' has no replica configuration: {row}.");
        }

        return new ReplicaConfiguration(
            row.Version,
            row.Epoch,
            IdOf(clusterId, row, row.Owner),
            [.. Enumerable.Range(1, row.Replicas.Count).Select(n => new ReplicaId(n))],
            [.. row.InSync.Select(silo => IdOf(clusterId, row, silo)).Order()]);
    }

    /// <summary>The silo holding replica <paramref name="replica"/> of <paramref name="row"/>, or null when the row has no such replica.</summary>
    public static string? SiloOf(PartitionRecord row, ReplicaId replica)
    {
        ArgumentNullException.ThrowIfNull(row);
        return replica.Value >= 1 && replica.Value <= row.Replicas.Count ? row.Replicas[replica.Value - 1] : null;
    }

    /// <summary>The replica number of <paramref name="silo"/> in <paramref name="row"/>, or null when it holds no replica.</summary>
    public static ReplicaId? ReplicaOf(PartitionRecord row, string silo)
    {
        ArgumentNullException.ThrowIfNull(row);
        for (int i = 0; i < row.Replicas.Count; i++)
        {
            if (string.Equals(row.Replicas[i], silo, StringComparison.Ordinal))
            {
                return new ReplicaId(i + 1);
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask<ReplicaConfiguration> ReadAsync(CancellationToken cancellationToken = default)
    {
        PartitionRecord row = (await ReadSnapshotAsync(cancellationToken)).Partitions[_partition];
        return ToConfiguration(_clusterId, row);
    }

    /// <inheritdoc />
    public async ValueTask<ConfigurationWriteResult> TryWriteAsync(long expectedVersion, ReplicaConfiguration proposal, CancellationToken cancellationToken = default)
    {
        ReplicaConfiguration.ValidateProposal(expectedVersion, proposal);
        ClusterSnapshot snapshot = await ReadSnapshotAsync(cancellationToken);
        PartitionRecord row = snapshot.Partitions[_partition];
        ReplicaConfiguration current = ToConfiguration(_clusterId, row);
        if (row.Version != expectedVersion)
        {
            return new ConfigurationWriteResult(false, current);
        }

        if (!proposal.Replicas.SequenceEqual(current.Replicas))
        {
            throw new ArgumentException($"A proposal cannot change the replicas of partition {_partition} ({current}): {proposal}.", nameof(proposal));
        }

        string leader = SiloOf(row, proposal.Leader)!;
        bool newGrant = proposal.Epoch != row.Epoch || !string.Equals(leader, row.Owner, StringComparison.Ordinal);
        long incarnation = row.OwnerIncarnation;
        if (newGrant)
        {
            if (snapshot.FindSilo(leader) is not { IsLive: true } leaderSilo)
            {
                return new ConfigurationWriteResult(false, current);
            }

            incarnation = leaderSilo.Incarnation;
        }

        PartitionRecord written = row with
        {
            Owner = leader,
            OwnerIncarnation = incarnation,
            Epoch = proposal.Epoch,
            InSync = [.. proposal.InSync.Select(r => SiloOf(row, r)!)],
            State = newGrant ? PartitionState.Owned : row.State,
            Target = newGrant ? null : row.Target,
        };
        var update = new ClusterUpdate().Write(written, expectedVersion).RequireLease(leader, incarnation);
        if (await ApplyAsync(update, cancellationToken))
        {
            return new ConfigurationWriteResult(true, proposal);
        }

        return new ConfigurationWriteResult(false, await ReadAsync(cancellationToken));
    }

    private static ReplicaId IdOf(string clusterId, PartitionRecord row, string silo) => ReplicaOf(row, silo)
        ?? throw new ReplicaConfigurationStoreException($"Partition {row.Partition} of cluster '{clusterId}' names '{silo}', which holds none of its replicas: {row}.");

    private async Task<ClusterSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        ClusterSnapshot snapshot;
        try
        {
            snapshot = await _store.ReadAsync(_clusterId, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterStoreException exception)
        {
            throw Failed("read", exception);
        }

        if (_partition >= snapshot.PartitionCount)
        {
            throw new ReplicaConfigurationStoreException($"Partition {_partition} does not exist in cluster '{_clusterId}' ({snapshot.PartitionCount} partitions).");
        }

        return snapshot;
    }

    private async Task<bool> ApplyAsync(ClusterUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.TryApplyAsync(_clusterId, update, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterStoreException exception)
        {
            throw Failed("write", exception);
        }
    }

    private ReplicaConfigurationStoreException Failed(string operation, Exception exception) => new(
        $"Replica configuration of partition {_partition} of cluster '{_clusterId}': the {operation} failed in the cluster store: {exception.Message}", exception);
}
