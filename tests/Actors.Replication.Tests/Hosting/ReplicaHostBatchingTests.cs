using Actors.Replication.Options;
using Actors.Replication.Wal;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>How many requests the appends of one burst of the leader's driver loop cost (counted at the transport).</summary>
[Trait("Category", "Integration")]
public sealed class ReplicaHostBatchingTests
{
    [Fact]
    public async Task AppendAsync_AppendsQueuedForOneBurst_OneRequestPerFollowerCarriesThemAll()
    {
        var network = new LoopbackReplicationTransport();
        await using var replicas = new HostedReplicas(3, QuietOptions(), network: network);
        var leader = await replicas.LeaderAsync(1, Generous);
        foreach (var follower in replicas.Running.Where(h => h.Id != leader.Id))
        {
            await replicas.WaitUntilAsync(_ => follower.Status.Leader == leader.Id, Generous, $"{follower.Id} learning its leader");
        }

        await leader.PauseAsync().WaitAsync(Generous);
        var before = Interlocked.Read(ref network.RequestsWithEntries);
        var appends = Enumerable.Range(0, 8).Select(i => leader.AppendAsync(new[] { (byte)i })).ToArray();
        leader.Resume();
        var results = await Task.WhenAll(appends).WaitAsync(Generous);

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), results.Select(r => r.Lsn));
        Assert.Equal(2, Interlocked.Read(ref network.RequestsWithEntries) - before);
    }

    /// <summary>No heartbeat, lag or leader timeout within any test: only appends and answers make requests.</summary>
    private static ReplicaOptions QuietOptions() => new()
    {
        HeartbeatInterval = TimeSpan.FromHours(1),
        FollowerLagTimeout = TimeSpan.FromHours(2),
        LeaderTimeout = TimeSpan.FromHours(2),
    };
}
