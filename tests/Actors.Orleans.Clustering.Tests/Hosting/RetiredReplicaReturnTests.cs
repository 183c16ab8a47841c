using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// A replica that <see cref="ReplicaRetirement"/> retired comes back on the same silo: added back to its partition's row
/// after its files were deleted, or started again over a directory whose retirement a crash interrupted (the marker written
/// and the journal's log released, the directory not yet deleted). Either way it starts empty, catches up from the leader
/// (a checkpoint transfer: the replicas checkpoint every few entries) and, once it leads, serves every acknowledged write.
/// </summary>
public sealed class RetiredReplicaReturnTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Factor = 2;
    private const long CheckpointEveryEntries = 4;
    private const int RoundsBefore = 4;
    private readonly TempDirectory _root = new();

    [Fact]
    public async Task RetiredReplica_AddedBackToItsSilo_CatchesUpFromTheLeaderAndServesEveryAcknowledgedWriteWhenItLeads()
    {
        const int Partitions = 3;
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(
            _root.Path, postgres.ConnectionString, "readd-" + Guid.NewGuid().ToString("N"), 2, Partitions, replicationFactor: Factor,
            replaceAbsentAfter: TimeSpan.FromSeconds(1), balanceInterval: TimeSpan.FromMilliseconds(200), checkpointEveryEntries: CheckpointEveryEntries);
        SiloHandle primary = cluster.Primary!;
        SiloHandle other = cluster.SecondarySilos[0];
        int primaryId = ReplicatedTestCluster.ReplicaId(primary);
        LedgerKeys ledgers = LedgerKeys.Covering(cluster, Partitions);
        for (int entry = 0; entry < RoundsBefore; entry++)
        {
            await ledgers.AddToEveryAsync(entry, "before the join");
        }

        // A third silo joins and takes its share of replicas: each original silo retires the ones moved off it.
        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        SiloHandle[] silos = [primary, other, joined];
        int share = ReplicaBalance.Share(Partitions, Factor, silos.Length);
        Dictionary<int, ReplicaConfiguration> rows = [];
        await ReplicaRows.WaitForAsync(async () =>
        {
            rows = await ReplicaRows.ReadAsync(primary);
            return ReplicaRows.AllInSync(rows, Factor)
                && silos.All(s => ReplicaRows.Named(rows, s).Count == share)
                && silos.All(s => ReplicatedTestCluster.Replicas(s).Held.Count == share);
        }, $"every silo running exactly its share of {share} replicas, every row at factor {Factor} and in sync", () => ReplicaRows.Describe(rows));
        int[] retired = [.. Enumerable.Range(0, Partitions).Except(ReplicaRows.Named(rows, primary)).Order()];
        Assert.NotEmpty(retired);

        // Written while the primary silo holds no replica of those partitions.
        await ledgers.AddToEveryAsync(RoundsBefore, "after the retirements");

        // The joined silo stops; its replicas are replaced on the only silos left without one: each where it was retired.
        await cluster.StopSiloAsync(joined);
        await ledgers.AddToEveryAsync(RoundsBefore + 1, "after the joined silo stopped");
        int[] originals = [primaryId, ReplicatedTestCluster.ReplicaId(other)];
        Array.Sort(originals);
        await ReplicaRows.WaitForAsync(async () =>
        {
            rows = await ReplicaRows.ReadAsync(primary);
            return ReplicaRows.AllInSync(rows, Factor)
                && rows.Values.All(row => row.Replicas.Select(r => r.Value).Order().SequenceEqual(originals))
                && retired.All(p => ReplicatedTestCluster.Replicas(primary).Get(p) is not null);
        }, $"partitions {string.Join(",", retired)} added back to replica {primaryId} and every row in sync on the original silos", () => ReplicaRows.Describe(rows));
        await ledgers.AddToEveryAsync(RoundsBefore + 2, "after the replicas were added back");

        // The other original silo stops: the replicas added back lead their partitions and serve every acknowledged write.
        await cluster.StopSiloAsync(other);
        await ledgers.AssertEveryAcknowledgedWriteReadsBackAsync("from the primary silo alone");
        rows = await ReplicaRows.ReadAsync(primary);
        Assert.All(retired, p => Assert.True(rows[p].Leader.Value == primaryId, $"partition {p}: {rows[p]} (expected replica {primaryId} to lead)"));

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster);
    }

    [Fact]
    public async Task RetirementMarker_PresentWhenTheSiloStarts_ReplicaStartsEmptyCatchesUpAndServesEveryAcknowledgedWriteWhenItLeads()
    {
        const int Partitions = 4;
        string clusterId = "marker-" + Guid.NewGuid().ToString("N");
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(
            _root.Path, postgres.ConnectionString, clusterId, 2, Partitions, replicationFactor: Factor, checkpointEveryEntries: CheckpointEveryEntries);
        SiloHandle primary = cluster.Primary!;
        SiloHandle crashed = cluster.SecondarySilos[0];
        int crashedId = ReplicatedTestCluster.ReplicaId(crashed);
        LedgerKeys ledgers = LedgerKeys.Covering(cluster, Partitions);
        for (int entry = 0; entry < RoundsBefore; entry++)
        {
            await ledgers.AddToEveryAsync(entry, "before the stop");
        }

        Dictionary<int, ReplicaConfiguration> rows = [];
        await ReplicaRows.WaitForAsync(async () =>
        {
            rows = await ReplicaRows.ReadAsync(primary);
            return rows.Count == Partitions && ReplicaRows.AllInSync(rows, Factor);
        }, "every partition in sync on both silos", () => ReplicaRows.Describe(rows));
        string logDirectory = ReplicaRows.LogDirectory(crashed);
        ReplicaOptions options = ReplicatedTestCluster.Services(crashed).GetRequiredService<IOptions<ReplicaOptions>>().Value;
        int instance = crashed.InstanceNumber;
        await cluster.StopSiloAsync(crashed);
        Assert.Contains(Enumerable.Range(0, Partitions), p => File.Exists(Path.Combine(ReplicaRows.ReplicaDirectory(logDirectory, p), "entries", "checkpoint")));

        // Written while that silo is down: its copies lack them.
        await ledgers.AddToEveryAsync(RoundsBefore, "while a silo is down");

        // As if the silo had crashed while retiring each of its replicas, after the marker and the journal's release of the
        // replica's log, before the directory's deletion: the directories hold checkpoint and epoch files over released logs.
        var journal = new SiloEntryJournal(Path.Combine(logDirectory, SiloReplicas.ReplicasDirectoryName, SiloReplicas.JournalDirectoryName), options, NullLogger.Instance);
        try
        {
            for (int partition = 0; partition < Partitions; partition++)
            {
                File.WriteAllBytes(Marker(logDirectory, partition), []);
                journal.Get().ReleaseLog(partition);
            }
        }
        finally
        {
            journal.Dispose();
        }

        // The silo starts again (same directory, same replica): each marked retirement is finished, the replica starts
        // empty, catches up, and the silo takes its share of leaderships back.
        await using SiloHandle back = await cluster.StartSiloAsync(instance, cluster.Options);
        Assert.Equal(crashedId, ReplicatedTestCluster.ReplicaId(back));
        await ReplicaRows.WaitForAsync(async () =>
        {
            rows = await ReplicaRows.ReadAsync(primary);
            return ReplicaRows.AllInSync(rows, Factor)
                && rows.Values.Count(row => row.Leader.Value == crashedId) == Partitions / 2
                && Enumerable.Range(0, Partitions).All(p => ReplicatedTestCluster.Replicas(back).Get(p) is not null);
        }, $"replica {crashedId} running every partition, in sync, and leading {Partitions / 2} of them", () => ReplicaRows.Describe(rows));
        Assert.All(Enumerable.Range(0, Partitions), p => Assert.False(File.Exists(Marker(logDirectory, p)), $"partition {p}: the retirement marker is still there"));

        // The partitions it leads are served from its replicas: every acknowledged write, old and new, reads back.
        Dictionary<int, string> storedOn = await ledgers.AddToEveryAsync(RoundsBefore + 1, "after the restart");
        Assert.Contains(back.SiloAddress.ToParsableString(), storedOn.Values);
        await ledgers.AssertEveryAcknowledgedWriteReadsBackAsync("after the restart");

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster, back);
    }

    private static string Marker(string logDirectory, int partition) =>
        Path.Combine(ReplicaRows.ReplicaDirectory(logDirectory, partition), ReplicaRetirement.RetiredMarkerFileName);

    public void Dispose() => _root.Dispose();
}
