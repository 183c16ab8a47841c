using Actors.TestingHost.Conformance;

namespace Actors.Cluster.Tests.Membership;

public sealed class InMemoryClusterStoreTests
{
    [Fact]
    public async Task Conformance_AllScenarios_Pass()
    {
        var clock = new StoreClock();
        var store = new InMemoryClusterStore(clock);

        await new ClusterStoreConformance(store, by =>
        {
            clock.Advance(by);
            return Task.CompletedTask;
        }).RunAllAsync();
    }

    [Fact]
    public async Task ReadAsync_UnknownCluster_ThrowsTypedErrorNamingIt()
    {
        var store = new InMemoryClusterStore();

        ClusterStoreException error = await Assert.ThrowsAsync<ClusterStoreException>(() => store.ReadAsync("nowhere", CancellationToken.None));

        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }
}
