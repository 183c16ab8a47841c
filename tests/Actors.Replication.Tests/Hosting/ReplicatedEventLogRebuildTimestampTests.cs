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
    /// Known gap (issue 62, docs/replication.md, "What is not guaranteed"): as of a time before the rebuild, the rebuilt replica reads an
    /// empty stream (its records all carry the rebuild's time) where the others read p1. Neither exact nor a typed error;
    /// remove the skip once replicated entries carry the leader's timestamp into the materialized log.
    /// </summary>
    [Fact(Skip = "Known gap: a rebuilt replica's materialized log carries the rebuild's timestamps (docs/replication.md, What is not guaranteed)")]
    public async Task ReadStreamAsync_AsOfATimeBeforeAReplicaRebuiltItsLog_IsExactOrATypedError()
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

            StreamReadResult read;
            try
            {
                read = await appliers[follower].Local.ReadStreamAsync("s", ReadBound.AtTime(first));
            }
            catch (WalException)
            {
                return; // a typed error is an honest answer
            }

            Assert.True(read.Version == 1, $"as of {first:O} (p1's time) the rebuilt replica reads version {read.Version}; the others read version 1");
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
