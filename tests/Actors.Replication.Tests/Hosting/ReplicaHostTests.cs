using System.Text;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Wal.Entries;
using Xunit.Abstractions;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// The protocol run for real: three <see cref="ReplicaHost"/>s, each over its own <see cref="EntryLog"/> on disk, real
/// threads and time, messages through the wire codec, the configuration in an in-process store. Leaders are killed and
/// paused; every acknowledged entry must be on the replicas that hold the log afterwards.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicaHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AppendAsync_ThreeReplicasWithoutFaults_EveryAcknowledgedEntryIsOnAllThreeAtItsLsn()
    {
        // Timeouts far beyond the test: the in-sync set never shrinks and the leader never changes, so an acknowledged
        // entry must be on every replica.
        var options = new ReplicaOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(20),
            FollowerLagTimeout = TimeSpan.FromHours(1),
            LeaderTimeout = TimeSpan.FromHours(1),
        };
        await using var replicas = new HostedReplicas(3, options);
        var leader = await replicas.LeaderAsync(1, Generous);

        var writers = Enumerable.Range(0, 16).Select(async w =>
        {
            var acknowledged = new List<Acknowledged>();
            for (var i = 0; i < 12; i++)
            {
                var payload = $"w{w}-{i}";
                acknowledged.Add(new Acknowledged(payload, await leader.AppendAsync(Encoding.UTF8.GetBytes(payload))));
            }

            return acknowledged;
        }).ToArray();
        var acked = (await Task.WhenAll(writers)).SelectMany(a => a).ToList();
        var lastLsn = acked.Max(a => a.Result.Lsn);
        await replicas.WaitUntilAsync(_ => replicas.Running.All(h => h.Status.DurableLsn >= lastLsn), Generous, "every replica syncing every acknowledged entry");
        await replicas.StopAllAsync();

        Assert.Equal(acked.Count, acked.Select(a => a.Result.Lsn).Distinct().Count());
        foreach (var id in replicas.Ids)
        {
            AssertHoldsEveryAcknowledged(replicas.ReadStoppedLog(id), acked, id);
        }
    }

    [Fact]
    public async Task AppendAsync_ToAFollower_IsRejectedAsNotLeaderNamingTheLeader()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var follower = replicas.Running.First(h => h.Id != leader.Id);
        await replicas.WaitUntilAsync(_ => follower.Status.Leader == leader.Id, Generous, $"{follower.Id} learning its leader");

        var refusal = await Assert.ThrowsAsync<NotLeaderException>(() => follower.AppendAsync(new byte[] { 1 }).WaitAsync(Generous));

        Assert.Equal(follower.Id, refusal.Replica);
        Assert.Equal(leader.Id, refusal.KnownLeader);
    }

    [Fact]
    public async Task LeaderKilled_InSyncFollowerTakesOverAndTheRestartedLeaderCatchesUp_NoAcknowledgedEntryLost()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions());

        output.WriteLine(await LeaderKilledAsync(replicas));
    }

    [Fact]
    public async Task PausedLeader_AfterASuccessorTookOver_CannotAcknowledgeAndRejoinsAsFollower()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions());

        output.WriteLine(await LeaderPausedAsync(replicas));
    }
}
