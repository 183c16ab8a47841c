using Actors.Replication.Configuration;

namespace Actors.Replication.Tests.Configuration;

/// <summary>What every <see cref="IReplicaConfigurationStore"/> must do; each implementation's tests inherit it.</summary>
public abstract class ReplicaConfigurationStoreConformance
{
    protected static readonly ReplicaConfiguration Initial = ReplicaConfiguration.Initial(new ReplicaId(1), [new(1), new(2), new(3)]);

    /// <summary>A fresh store holding <see cref="Initial"/>, separate from every other test's.</summary>
    protected abstract Task<IReplicaConfigurationStore> CreateStoreAsync();

    [Fact]
    public async Task ReadAsync_Fresh_ReturnsInitialConfiguration()
    {
        var store = await CreateStoreAsync();

        var current = await store.ReadAsync();

        Assert.True(current.SameAs(Initial), current.ToString());
    }

    [Fact]
    public async Task TryWriteAsync_ExpectedVersionMatches_AppliesAndReadSeesIt()
    {
        var store = await CreateStoreAsync();
        var proposal = Initial.WithInSync([new ReplicaId(1), new ReplicaId(3)]);

        var result = await store.TryWriteAsync(1, proposal);

        Assert.True(result.Applied);
        Assert.True((await store.ReadAsync()).SameAs(proposal));
    }

    [Fact]
    public async Task TryWriteAsync_StaleVersion_ChangesNothingAndReturnsCurrent()
    {
        var store = await CreateStoreAsync();
        var winner = Initial.WithNewLeader(new ReplicaId(2));
        Assert.True((await store.TryWriteAsync(1, winner)).Applied);

        var result = await store.TryWriteAsync(1, Initial.WithNewLeader(new ReplicaId(3)));

        Assert.False(result.Applied);
        Assert.True(result.Current.SameAs(winner), result.Current.ToString());
        Assert.True((await store.ReadAsync()).SameAs(winner));
    }

    [Fact]
    public async Task TryWriteAsync_ConcurrentWritersOnOneVersion_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var proposals = new[] { 1, 2, 3 }.Select(r => Initial.WithNewLeader(new ReplicaId(r))).ToArray();

        var results = await Task.WhenAll(proposals.Select(p => store.TryWriteAsync(1, p).AsTask()));

        var winner = Assert.Single(results, r => r.Applied);
        Assert.True((await store.ReadAsync()).SameAs(winner.Current));
        Assert.All(results.Where(r => !r.Applied), r => Assert.Equal(2, r.Current.Version));
    }

    [Fact]
    public async Task TryWriteAsync_ProposalNotNextVersionOrLeaderOutsideInSync_Throws()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryWriteAsync(1, Initial with { Version = 3 }).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.TryWriteAsync(1, Initial.WithInSync([new ReplicaId(2)])).AsTask());
        Assert.True((await store.ReadAsync()).SameAs(Initial));
    }
}
