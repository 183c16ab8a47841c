using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Tests.Grains;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// What the tests of three in-process silos with replication factor 3 share: a PostgreSQL database of the class's own (a
/// class fixture, as every class of this project that needs one has, on the server the assembly shares), a cluster id and
/// directories per test, 16 partitions, and the ledger grains they write.
/// </summary>
public abstract class ReplicationFactorThreeTestBase(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    protected const int Partitions = 16;
    protected const int Grains = 24;

    /// <summary>The log stream of grain 0's state (provider "ledger" named by the attribute-routed default, state "ledger").</summary>
    protected const string LedgerStream = "s/WriteAheadLog/ledger/ledger/0";

    private static readonly string[] Classes = [typeof(LedgerGrain).FullName!, typeof(PlainLedgerGrain).FullName!, typeof(JournalLedgerGrain).FullName!];
    private readonly TempDirectory _root = new();

    protected PostgresDatabase Postgres { get; } = postgres;

    protected string ClusterId { get; } = "rf-" + Guid.NewGuid().ToString("N");

    /// <summary>Starts (or restarts, on the same directories and replica numbers) the test's three silos.</summary>
    protected Task<TestCluster> StartClusterAsync(bool loopbackMessaging = true)
        => ReplicatedTestCluster.StartAsync(_root.Path, Postgres.ConnectionString, ClusterId, 3, Partitions, replicationFactor: 3, loopbackMessaging: loopbackMessaging);

    protected static int PartitionOf(TestCluster cluster, int i) => GrainPartitions.GetPartition(Grain(cluster, i).GetGrainId(), Partitions);

    /// <summary>Grain <paramref name="i"/>: [WriteAheadLog] IPersistentState, no-placement IPersistentState, [WriteAheadLog] JournaledGrain in turn.</summary>
    protected static ILedgerGrain Grain(TestCluster cluster, int i) => cluster.GrainFactory.GetGrain<ILedgerGrain>(i, grainClassNamePrefix: Classes[i % 3]);

    public void Dispose()
    {
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}
