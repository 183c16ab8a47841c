using System.Text;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Wal;
using Actors.Wal.Tests.Conformance;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Reads by time on a replica that rebuilt its materialized log: a replicated entry carries no timestamp, so every replica
/// stamps a record with its own clock when it applies it, and a restarted replica, which rebuilds its materialized log from
/// its entry log, stamps every rebuilt record with the time of the rebuild.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicatedEventLogRebuildTimestampTests
{
    /// <summary>
    /// As of a time before the rebuild, the rebuilt replica's materialized log would read an empty stream (its records all
    /// carry the rebuild's time) where the others read p1: the replicated log therefore refuses reads by time (typed
    /// <see cref="NotSupportedException"/>) and reads by version exactly. Once replicated entries carry the leader's
    /// timestamp into the materialized log, reads by time can be allowed and this test turned into an exact one.
    /// </summary>
    [Fact]
    public async Task ReadStreamAsync_AsOfATimeAfterAReplicaRebuiltItsLog_RefusedTypedAndVersionBoundExact()
    {
        var clock = new ConformanceTimeProvider();
        await using var replicas = new HostedReplicas(3, StableOptions());
        var appliers = new Dictionary<ReplicaId, CommittedEntryApplier>();
        try
        {
            foreach (var host in replicas.Running)
            {
                appliers[host.Id] = Started(host, clock);
            }

            var leader = await replicas.LeaderAsync(1, Generous);
            var log = new ReplicatedEventLog(leader, appliers[leader.Id]);
            DateTimeOffset first = clock.GetUtcNow();
            await log.AppendAsync("s", 0, [Encoding.UTF8.GetBytes("p1")]);
            clock.Advance(TimeSpan.FromMinutes(1));
            await log.AppendAsync("s", 1, [Encoding.UTF8.GetBytes("p2")]);
            long end = leader.Status.EndLsn;
            foreach (var applier in appliers.Values)
            {
                await applier.WaitAppliedAsync(end).WaitAsync(Generous);
            }

            // A follower restarts an hour later and rebuilds its materialized log from its entry log.
            var follower = replicas.Running.First(h => h.Id != leader.Id).Id;
            await StopAsync(appliers[follower]);
            await replicas.KillAsync(follower);
            clock.Advance(TimeSpan.FromHours(1));
            replicas.Start(follower);
            appliers[follower] = Started(replicas[follower], clock);
            await appliers[follower].WaitAppliedAsync(end).WaitAsync(Generous);

            var rebuilt = new ReplicatedEventLog(replicas[follower], appliers[follower]);
            await Assert.ThrowsAsync<NotSupportedException>(() => rebuilt.ReadStreamAsync("s", ReadBound.AtTime(first)).AsTask());
            StreamReadResult read = await rebuilt.ReadStreamAsync("s", ReadBound.AtVersion(1));
            Assert.Equal(1, read.Version);
            Assert.Equal(["p1"], read.Events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)).ToArray());
        }
        finally
        {
            foreach (var applier in appliers.Values)
            {
                await StopAsync(applier);
            }
        }
    }

    private static CommittedEntryApplier Started(ReplicaHost host, TimeProvider clock)
    {
        var applier = new CommittedEntryApplier(host, new InMemoryEventLog(timeProvider: clock));
        applier.Start();
        return applier;
    }

    private static async Task StopAsync(CommittedEntryApplier applier)
    {
        await applier.DisposeAsync();
        await applier.Local.DisposeAsync();
    }
}
