using System.Text;
using Actors.Replication.Configuration;
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
    public async Task Follower_ABacklogOfSingleEntryRequests_SyncsFarFewerTimesThanEntries()
    {
        // A follower that falls behind its leader's stream of requests (here: paused while 64 single-entry requests
        // queue up) takes the whole backlog in one burst of its driver loop and syncs once for all of it.
        await using var replicas = new HostedReplicas(3, StableOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var follower = replicas.Running.First(h => h.Id != leader.Id);
        await replicas.WaitUntilAsync(_ => follower.Status.Leader == leader.Id, Generous, $"{follower.Id} learning its leader");
        var startLsn = leader.Status.EndLsn;
        var before = follower.Counters;

        follower.Pause();
        var appends = Enumerable.Range(0, 64).Select(i => leader.AppendAsync(new[] { (byte)i })).ToArray();
        // The loopback transport delivers inside the leader's burst, before the leader publishes its end.
        await replicas.WaitUntilAsync(_ => leader.Status.EndLsn >= startLsn + 64, Generous, "the leader writing and sending 64 entries");
        follower.Resume();
        await Task.WhenAll(appends).WaitAsync(Generous);

        var after = follower.Counters;
        var entries = after.EntriesWritten - before.EntriesWritten;
        var syncs = after.Syncs - before.Syncs;
        output.WriteLine($"follower {follower.Id}: {entries} entries, {syncs} syncs, {after.MessagesReceived - before.MessagesReceived} messages received");
        Assert.Equal(64, entries);
        Assert.True(syncs * 8 <= entries, $"{syncs} syncs for {entries} entries: the backlog should have been synced in a few group commits");
    }

    [Fact]
    public async Task Counters_LeaderAndFollowersWriting_SplitWritesAndSyncsByTheRoleAtTheTime()
    {
        // The benchmark's leader/follower split of log writes and fsyncs comes from these counters: the leader's writes and
        // syncs count as leader work, a follower's never do.
        await using var replicas = new HostedReplicas(3, StableOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var followers = replicas.Running.Where(h => h.Id != leader.Id).ToArray();
        await replicas.WaitUntilAsync(_ => followers.All(f => f.Status.Leader == leader.Id), Generous, "the followers learning their leader");
        var before = replicas.Running.ToDictionary(h => h.Id, h => h.Counters);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => leader.AppendAsync(new[] { (byte)i }))).WaitAsync(Generous);
        var lastLsn = results.Max(r => r.Lsn);
        await replicas.WaitUntilAsync(_ => replicas.Running.All(h => h.Status.DurableLsn >= lastLsn), Generous, "every replica syncing the 8 entries");

        var led = leader.Counters;
        Assert.True(led.EntriesWritten - before[leader.Id].EntriesWritten >= 8);
        Assert.Equal(led.EntriesWritten - before[leader.Id].EntriesWritten, led.EntriesWrittenAsLeader - before[leader.Id].EntriesWrittenAsLeader);
        Assert.True(led.SyncsAsLeader - before[leader.Id].SyncsAsLeader >= 1);
        Assert.Equal(led.Syncs - before[leader.Id].Syncs, led.SyncsAsLeader - before[leader.Id].SyncsAsLeader);
        foreach (var follower in followers)
        {
            var counted = follower.Counters;
            Assert.True(counted.EntriesWritten - before[follower.Id].EntriesWritten >= 8);
            Assert.True(counted.Syncs - before[follower.Id].Syncs >= 1);
            Assert.Equal(before[follower.Id].EntriesWrittenAsLeader, counted.EntriesWrittenAsLeader);
            Assert.Equal(before[follower.Id].SyncsAsLeader, counted.SyncsAsLeader);
        }
    }

    [Fact]
    public async Task AppendAsync_ThreeReplicasWithoutFaults_EveryAcknowledgedEntryIsOnAllThreeAtItsLsn()
    {
        // The in-sync set never shrinks and the leader never changes, so an acknowledged entry must be on every replica.
        await using var replicas = new HostedReplicas(3, StableOptions());
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
        await using var replicas = new HostedReplicas(3, StableOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var follower = replicas.Running.First(h => h.Id != leader.Id);
        await replicas.WaitUntilAsync(_ => follower.Status.Leader == leader.Id, Generous, $"{follower.Id} learning its leader");

        var refusal = await Assert.ThrowsAsync<NotLeaderException>(() => follower.AppendAsync(new byte[] { 1 }).WaitAsync(Generous));

        Assert.Equal(follower.Id, refusal.Replica);
        Assert.Equal(leader.Id, refusal.KnownLeader);
    }

    [Fact]
    public async Task ReadCommittedAsync_OnEveryReplica_YieldsEveryAcknowledgedEntryInLsnOrder()
    {
        await using var replicas = new HostedReplicas(3, StableOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var acked = new List<Acknowledged>();
        for (var i = 0; i < 40; i++)
        {
            var payload = $"entry-{i}";
            acked.Add(new Acknowledged(payload, await leader.AppendAsync(Encoding.UTF8.GetBytes(payload))));
        }

        foreach (var host in replicas.Running)
        {
            var committed = new List<LoggedEntry>();
            using var timeout = new CancellationTokenSource(Generous);
            while (committed.Count < acked.Count)
            {
                committed.AddRange(await host.ReadCommittedAsync(committed.Count + 1, 7, timeout.Token));
            }

            Assert.Equal(Enumerable.Range(1, acked.Count).Select(i => (long)i), committed.Select(e => e.Lsn));
            AssertHoldsEveryAcknowledged(committed, acked, host.Id);
        }
    }

    [Fact]
    public async Task AppendAsync_CallerRewritesItsBufferBeforeTheLoopRuns_EveryReplicaHoldsTheBytesAsAppended()
    {
        // AppendAsync copies the payload (only the event log's internal append hands its own array over): a caller may
        // reuse its buffer as soon as the call returns. The leader's loop is parked, so every proposal waits queued while
        // the buffer is rewritten under it.
        await using var replicas = new HostedReplicas(3, StableOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var startLsn = leader.Status.EndLsn;
        await leader.PauseAsync().WaitAsync(Generous);
        var buffer = new byte[8];
        var appends = new List<Task<ReplicatedAppendResult>>();
        var acked = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            var payload = $"entry-{i:D2}";
            Encoding.UTF8.GetBytes(payload, buffer);
            appends.Add(leader.AppendAsync(buffer));
            acked.Add(payload);
        }

        buffer.AsSpan().Fill(0xEE);
        leader.Resume();
        await Task.WhenAll(appends).WaitAsync(Generous);

        foreach (var host in replicas.Running)
        {
            var committed = new List<LoggedEntry>();
            using var timeout = new CancellationTokenSource(Generous);
            while (committed.Count < acked.Count)
            {
                committed.AddRange(await host.ReadCommittedAsync(startLsn + committed.Count + 1, acked.Count - committed.Count, timeout.Token));
            }

            Assert.Equal(acked, committed.Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
        }
    }

    [Fact]
    public async Task ReadCommittedAsync_WaitingWhenTheHostStops_ThrowsObjectDisposed()
    {
        await using var replicas = new HostedReplicas(3, StableOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var waiting = leader.ReadCommittedAsync(1, 10);

        await replicas.KillAsync(leader.Id);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(Generous));
    }

    [Fact]
    public async Task DisposeAsync_WithAnAppendQueued_FailsItAsOutcomeUnknownAndLaterAppendsAsNotLeader()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        leader.Pause();
        var queued = leader.AppendAsync(new byte[] { 1 });

        await replicas.KillAsync(leader.Id);

        await Assert.ThrowsAsync<AppendOutcomeUnknownException>(() => queued.WaitAsync(Generous));
        await Assert.ThrowsAsync<NotLeaderException>(() => leader.AppendAsync(new byte[] { 2 }).WaitAsync(Generous));
    }

    [Fact]
    public void Start_LogHoldsAnEpochAboveTheEnteredOne_ThrowsInvariantAndAppendsNothing()
    {
        var directory = Path.Combine(Path.GetTempPath(), "actors-replication-host-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var log = EntryLog.Open(new EntryLogOptions { Directory = directory });
            log.Append(new LoggedEntry(1, 5, new byte[] { 1 }));
            log.Sync();
            var host = new ReplicaHost(
                new ReplicaId(1), log, new InMemoryReplicaConfigurationStore(HostedReplicas.Initial(1)), new LoopbackReplicationTransport(), FailoverOptions());

            var error = Assert.Throws<ReplicationInvariantException>(host.Start);

            Assert.Contains("epoch 5", error.Message, StringComparison.Ordinal);
            log.Dispose();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(EntryLogLayout.SharedJournal)]
    [InlineData(EntryLogLayout.PerReplicaFiles)]
    public async Task LeaderKilled_InSyncFollowerTakesOverAndTheRestartedLeaderCatchesUp_NoAcknowledgedEntryLost(EntryLogLayout layout)
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions(), layout: layout);

        output.WriteLine(await LeaderKilledAsync(replicas));
    }

    [Fact]
    public async Task PausedLeader_AfterASuccessorTookOver_CannotAcknowledgeAndRejoinsAsFollower()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions());

        output.WriteLine(await LeaderPausedAsync(replicas));
    }
}
