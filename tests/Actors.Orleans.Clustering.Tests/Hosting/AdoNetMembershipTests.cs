using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Npgsql;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>Orleans's ADO.NET membership on the project's own PostgreSQL script, with the log's partitions in the same database.</summary>
public sealed class AdoNetMembershipTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempDirectory _root = new();

    [Fact]
    public async Task Writes_TwoSilosOnAdoNetMembership_ServedByLeadersAndBothSilosActiveInTheTable()
    {
        string database = await postgres.CreateDatabaseAsync("SELECT 1");
        await Task.WhenAll(OrleansMembershipSchema.CreateAsync(database), OrleansMembershipSchema.CreateAsync(database));
        string clusterId = "c-" + Guid.NewGuid().ToString("N");

        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(_root.Path, database, clusterId, 2, 8, adoNetMembership: true);
        string[] storedOn = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => cluster.GrainFactory.GetGrain<ILedgerGrain>(i).Add(i)));
        for (int i = 0; i < 24; i++)
        {
            Assert.Equal([i], await cluster.GrainFactory.GetGrain<ILedgerGrain>(i).Entries());
        }

        await using NpgsqlDataSource source = NpgsqlDataSource.Create(database);
        await using NpgsqlCommand active = source.CreateCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = 3");
        active.Parameters.AddWithValue("c", clusterId);
        Assert.Equal(2L, (long)(await active.ExecuteScalarAsync())!);
        Assert.True(storedOn.Distinct().Count() == 2, $"8 partitions over 2 silos should use both; stored on {string.Join(", ", storedOn.Distinct())}");
    }

    public void Dispose() => _root.Dispose();
}
