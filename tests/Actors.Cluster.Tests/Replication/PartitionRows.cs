using Actors.Cluster.Hosting;
using Actors.Cluster.Membership;
using Actors.Cluster.Tests.Support;
using Actors.Replication.Wal;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// One replicated partition of a three-silo test cluster seen through its row in the cluster store: waits for row
/// conditions and moves the partition's leadership by pausing replicas (as SIGSTOP would), so that every leadership change
/// a test needs is decided by the store's rows, not by timing.
/// </summary>
internal sealed class PartitionRows(ClusterSilo[] silos, int partition)
{
    private static readonly TimeSpan Patience = TestClusters.Patience;

    /// <summary>The replica host of <paramref name="partition"/> on <paramref name="silo"/>; throws when the silo holds none.</summary>
    public static ReplicaHost HostOf(ClusterSilo silo, int partition)
        => silo.Replicas.ReplicaOf(partition)?.Host ?? throw new InvalidOperationException($"{silo.SiloName} holds no replica of partition {partition}");

    /// <summary>Waits until the partition's row in the cluster store meets <paramref name="condition"/>; returns that row.</summary>
    public async Task<PartitionRecord> WaitAsync(Func<PartitionRecord, bool> condition, string what)
    {
        PartitionRecord? met = null;
        await Eventually.TrueAsync(
            async () =>
            {
                PartitionRecord row = await ReadAsync();
                met = condition(row) ? row : null;
                return met is not null;
            },
            Patience,
            what);
        return met!;
    }

    /// <summary>With all three in sync, pauses <paramref name="leader"/>'s replica until another one leads, then resumes it (a follower now).</summary>
    public Task DethroneAsync(ClusterSilo leader)
        => PauseUntilAsync([leader], r => r.Owner != leader.SiloName, $"a replica other than {leader.SiloName}'s leading partition {partition}");

    /// <summary>With all three in sync, pauses every other replica until <paramref name="target"/>'s leads (the only one that can), then resumes them.</summary>
    public Task<PartitionRecord> MakeLeaderAsync(ClusterSilo target)
        => PauseUntilAsync([.. silos.Where(s => s != target)], r => r.Owner == target.SiloName, $"{target.SiloName}'s replica leading partition {partition}");

    /// <summary>
    /// Waits until the partition's three replicas are in sync, pauses those of <paramref name="paused"/> (the leader among
    /// them) and resumes them once <paramref name="done"/> holds. A shrink of the in-sync set the paused leader had sent
    /// just before the pause may still land and leave no candidate: then the replicas are resumed and it starts over.
    /// </summary>
    private async Task<PartitionRecord> PauseUntilAsync(ClusterSilo[] paused, Func<PartitionRecord, bool> done, string what)
    {
        while (true)
        {
            await WaitAsync(r => r.InSync.Count == 3 && !done(r), $"partition {partition} in sync on three replicas before: {what}");
            ReplicaHost[] hosts = [.. paused.Select(s => HostOf(s, partition))];
            foreach (ReplicaHost host in hosts)
            {
                host.Pause();
            }

            try
            {
                PartitionRecord row = await WaitAsync(r => done(r) || silos.Except(paused).All(s => !r.InSync.Contains(s.SiloName)), what);
                if (done(row))
                {
                    return row;
                }
            }
            finally
            {
                foreach (ReplicaHost host in hosts)
                {
                    host.Resume();
                }
            }
        }
    }

    private async Task<PartitionRecord> ReadAsync()
        => (await silos[0].Membership.RefreshAsync(CancellationToken.None)).Partitions[partition];
}
