using Actors.Replication.Configuration;

namespace Actors.Replication.Tests.Configuration;

/// <summary>What every <see cref="IReplicaConfigurationStore"/> must do; each implementation's tests inherit it.</summary>
public abstract class ReplicaConfigurationStoreConformance
{
    /// <summary>
    /// The version a fresh store's configuration has (1 for a dedicated store; a store over a shared row, such as the
    /// cluster's partition row, may start above it). Every scenario conditions its writes on it.
    /// </summary>
    protected virtual long InitialVersion => 1;

    /// <summary>The configuration a fresh store holds: r1 leads epoch 1 of r1..r3, all in sync, at <see cref="InitialVersion"/>.</summary>
    protected ReplicaConfiguration Initial => ReplicaConfiguration.Initial(new ReplicaId(1), [new(1), new(2), new(3)]) with { Version = InitialVersion };

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

        var result = await store.TryWriteAsync(Initial.Version, proposal);

        Assert.True(result.Applied);
        Assert.True((await store.ReadAsync()).SameAs(proposal));
    }

    [Fact]
    public async Task TryWriteAsync_StaleVersion_ChangesNothingAndReturnsCurrent()
    {
        var store = await CreateStoreAsync();
        var winner = Initial.WithNewLeader(new ReplicaId(2));
        Assert.True((await store.TryWriteAsync(Initial.Version, winner)).Applied);

        var result = await store.TryWriteAsync(Initial.Version, Initial.WithNewLeader(new ReplicaId(3)));

        Assert.False(result.Applied);
        Assert.True(result.Current.SameAs(winner), result.Current.ToString());
        Assert.True((await store.ReadAsync()).SameAs(winner));
    }

    [Fact]
    public async Task TryWriteAsync_ConcurrentWritersOnOneVersion_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var proposals = new[] { 1, 2, 3 }.Select(r => Initial.WithNewLeader(new ReplicaId(r))).ToArray();

        var results = await Task.WhenAll(proposals.Select(p => store.TryWriteAsync(Initial.Version, p).AsTask()));

        var winner = Assert.Single(results, r => r.Applied);
        Assert.True((await store.ReadAsync()).SameAs(winner.Current));
        Assert.All(results.Where(r => !r.Applied), r => Assert.Equal(Initial.Version + 1, r.Current.Version));
    }

    [Fact]
    public async Task TryWriteAsync_ProposalNotNextVersionOrLeaderOutsideInSync_Throws()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryWriteAsync(Initial.Version, Initial with { Version = Initial.Version + 2 }).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.TryWriteAsync(Initial.Version, Initial.WithInSync([new ReplicaId(2)])).AsTask());
        Assert.True((await store.ReadAsync()).SameAs(Initial));
    }
}
