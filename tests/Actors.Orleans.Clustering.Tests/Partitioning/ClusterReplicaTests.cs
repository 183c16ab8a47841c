using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Orleans.Log;
using Actors.Wal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Tests.Partitioning;

/// <summary>Joining the cluster's rows in PostgreSQL, and leadership checked on every storage call, without a silo.</summary>
public sealed class ClusterReplicaTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "c-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task StartAsync_SeveralSilosAtOnce_DistinctReplicasKeptAcrossRestarts()
    {
        ClusterReplica[] replicas = [.. Enumerable.Range(0, 6).Select(i => Replica($"silo{i}", 64, 20000 + i))];
        await Task.WhenAll(replicas.Select(r => r.StartAsync(CancellationToken.None)));
        int[] ids = [.. replicas.Select(r => r.Id)];
        foreach (ClusterReplica replica in replicas)
        {
            await replica.DisposeAsync();
        }

        Assert.Equal([1, 2, 3, 4, 5, 6], ids.Order());

        // The same directories under other silo names and addresses are the same replicas.
        await using ClusterReplica again = Replica("silo3", 64, 21003, name: "renamed");
        await again.StartAsync(CancellationToken.None);
        Assert.Equal(ids[3], again.Id);
        Assert.Equal(SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 21003), 1).ToParsableString(), (await again.Catalog.ReadReplicasAsync(CancellationToken.None))[ids[3]]);
    }

    [Fact]
    public async Task StartAsync_PartitionCountDiffersFromTheCluster_RefusesNamingTheSetting()
    {
        await using (ClusterReplica first = Replica("a", 64, 20100))
        {
            await first.StartAsync(CancellationToken.None);
        }

        await using ClusterReplica other = Replica("b", 32, 20101);
        var error = await Assert.ThrowsAsync<WriteAheadLogReplicationException>(() => other.StartAsync(CancellationToken.None));

        Assert.Contains("WriteAheadLogReplicationOptions.PartitionCount is 32", error.Message, StringComparison.Ordinal);
        Assert.Contains("created with 64 partitions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PartitionCountUnset_NewClusterTakesTheDefaultAndLaterSilosTheStoredCount()
    {
        await using (ClusterReplica first = Replica("a", null, 20110))
        {
            await first.StartAsync(CancellationToken.None);
            Assert.Equal(WriteAheadLogReplicationOptions.DefaultPartitionCount, first.PartitionCount);
        }

        await using ClusterReplica other = Replica("b", null, 20111);
        await other.StartAsync(CancellationToken.None);

        Assert.Equal(WriteAheadLogReplicationOptions.DefaultPartitionCount, other.PartitionCount);
    }

    [Fact]
    public async Task StartAsync_PartitionCountUnset_TakesTheCountTheClusterWasCreatedWith()
    {
        await using (ClusterReplica first = Replica("a", 64, 20120))
        {
            await first.StartAsync(CancellationToken.None);
        }

        await using ClusterReplica other = Replica("b", null, 20121);
        Assert.Throws<InvalidOperationException>(() => other.PartitionCount);
        await other.StartAsync(CancellationToken.None);

        Assert.Equal(64, other.PartitionCount);
    }

    [Fact]
    public async Task StartAsync_DirectoryOfAnotherCluster_Refuses()
    {
        ReplicaIdentityFile.Write(Path.Combine(_root.Path, "x"), "another-cluster", 5);
        await using ClusterReplica replica = Replica("x", 64, 20200);

        var error = await Assert.ThrowsAsync<WriteAheadLogReplicationException>(() => replica.StartAsync(CancellationToken.None));

        Assert.Contains("of cluster 'another-cluster'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WithoutTheSiloLog_RefusesNamingAddWriteAheadLog()
    {
        await using ClusterReplica replica = Replica("", 64, 20400);

        var error = await Assert.ThrowsAsync<WriteAheadLogReplicationException>(() => replica.StartAsync(CancellationToken.None));

        Assert.Contains("AddWriteAheadLog with SiloLogOptions.Directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DamagedIdentityFile_ThrowsNamingTheFile()
    {
        string directory = Path.Combine(_root.Path, "damaged");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ReplicaIdentityFile.FileName), "actors-orleans-replica 1\ncluster=c\nreplica=x\n");

        var error = Assert.Throws<WriteAheadLogReplicationException>(() => ReplicaIdentityFile.Read(directory));

        Assert.Contains(ReplicaIdentityFile.FileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLogAsync_PartitionLedByAnotherReplica_RefusedWithRetryableErrorAndEpochsBumpPerIncarnation()
    {
        GrainId grain = GrainId.Create("ledger", "7");
        int partition = GrainPartitions.GetPartition(grain, 64);
        long firstEpoch;
        await using (ClusterReplica a = Replica("a", 64, 20300))
        await using (ClusterReplica b = Replica("b", 64, 20301))
        {
            await a.StartAsync(CancellationToken.None);
            await b.StartAsync(CancellationToken.None);
            await using SiloLog logA = await OpenLogAsync("a");
            await using SiloLog logB = await OpenLogAsync("b");
            PartitionedGrainLogResolver resolverA = Resolver(a, logA);
            PartitionedGrainLogResolver resolverB = Resolver(b, logB);

            IEventLog served = await resolverA.GetLogAsync(grain);
            firstEpoch = resolverA.Held[partition];
            var refused = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(async () => await resolverB.GetLogAsync(grain));

            Assert.Same(logA.Log, served);
            Assert.Contains($"partition {partition}, led by replica {a.Id}", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was read or stored", refused.Message, StringComparison.Ordinal);
            Assert.False(resolverB.Held.ContainsKey(partition));
        }

        // The same directory started again is the same replica: it leads the partition again, under a newer epoch.
        await using ClusterReplica restarted = Replica("a", 64, 20302);
        await restarted.StartAsync(CancellationToken.None);
        await using SiloLog reopened = await OpenLogAsync("a");
        PartitionedGrainLogResolver resolver = Resolver(restarted, reopened);
        await resolver.GetLogAsync(grain);
        Assert.True(resolver.Held[partition] > firstEpoch, $"epoch {resolver.Held[partition]} after a restart, {firstEpoch} before");
    }

    [Fact]
    public async Task GetLeaderAsync_LeadershipTakenByAnotherActiveSilo_PlacesOnTheNewLeaderOnceTheViewIsOlderThanItsMaximumAge()
    {
        GrainId grain = GrainId.Create("ledger", "placed");
        int partition = GrainPartitions.GetPartition(grain, 64);
        await using ClusterReplica a = Replica("a", 64, 20400);
        await using ClusterReplica b = Replica("b", 64, 20401);
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        var time = new FakeTimeProvider();
        var view = new PartitionView(b, time);
        var locator = new LeaderPlacementLocator(b, view, Options.Create(new WriteAheadLogReplicationOptions { ConnectionString = postgres.ConnectionString, PartitionCount = 64 }));
        await view.RefreshAsync(view.Refreshes);
        SiloAddress siloA = SiloAddress.FromParsableString(view.AddressOf(a.Id)!);
        SiloAddress siloB = SiloAddress.FromParsableString(view.AddressOf(b.Id)!);
        await view.ClaimAsync(partition, a.Id, [a.Id, b.Id]);
        Assert.Equal(siloA, await locator.GetLeaderAsync(grain, [siloA, siloB]));

        // Another silo takes the leadership while A stays active: this view still names A until it is older than its age.
        var store = b.Catalog.Partition(partition);
        ReplicaConfiguration row = await store.ReadAsync();
        Assert.True((await store.TryWriteAsync(row.Version, row.WithNewLeader(new ReplicaId(b.Id)))).Applied);
        Assert.Equal(siloA, await locator.GetLeaderAsync(grain, [siloA, siloB]));

        time.Advance(PartitionView.PlacementMaxAge + TimeSpan.FromMilliseconds(1));
        Assert.Equal(siloB, await locator.GetLeaderAsync(grain, [siloA, siloB]));
    }

    private ClusterReplica Replica(string directory, int? partitionCount, int port, string? name = null) => new(
        Options.Create(new WriteAheadLogReplicationOptions { ConnectionString = postgres.ConnectionString, PartitionCount = partitionCount }),
        Options.Create(new SiloLogOptions { Directory = directory.Length == 0 ? "" : Path.Combine(_root.Path, directory) }),
        Options.Create(new ClusterOptions { ClusterId = _clusterId }),
        new FakeSilo(name ?? (directory.Length == 0 ? "nameless" : directory), _clusterId, port),
        NullLogger<ClusterReplica>.Instance);

    private async Task<SiloLog> OpenLogAsync(string directory)
    {
        var log = new SiloLog(Options.Create(new SiloLogOptions { Directory = Path.Combine(_root.Path, directory) }), new StreamRetentionRegistry([]), NullLoggerFactory.Instance);
        await log.OpenAsync(CancellationToken.None);
        return log;
    }

    private PartitionedGrainLogResolver Resolver(ClusterReplica replica, SiloLog log)
    {
        var options = Options.Create(new WriteAheadLogReplicationOptions { ConnectionString = postgres.ConnectionString, PartitionCount = replica.PartitionCount });
        var replicas = new SiloReplicas(
            replica,
            Options.Create(new SiloLogOptions { Directory = log.Directory }),
            new StreamRetentionRegistry([]),
            new ServiceCollection().BuildServiceProvider(),
            new PartitionActivations(),
            Options.Create(new ReplicaOptions()),
            NullLoggerFactory.Instance);
        return new(replica, new PartitionView(replica), log, replicas, new PartitionActivations(), options, new NoGrainContext(), NullLogger<PartitionedGrainLogResolver>.Instance);
    }

    public void Dispose() => _root.Dispose();

    private sealed class NoGrainContext : IGrainContextAccessor
    {
        public IGrainContext GrainContext => null!;
    }
}
