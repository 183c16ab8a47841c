using System.Text;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Wal;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Event-log writes through replication: the leader's <see cref="ReplicatedEventLog"/> proposes each write as an entry,
/// and every replica's <see cref="CommittedEntryApplier"/> applies committed entries to its own materialized log.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicatedEventLogTests
{
    [Fact]
    public async Task AppendAsync_OnTheLeader_IsAppliedIdenticallyOnEveryReplica()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(StableOptions());
        var log = cluster.LeaderLog();

        var first = await log.AppendAsync("account/1", ExpectedVersion.NoStream, Events("opened", "deposited 10"));
        var second = await log.AppendAsync("account/1", 2, Events("withdrew 3"));
        await log.AppendAsync("account/2", ExpectedVersion.Any, Events("opened"));
        var checkpoint = await log.WriteCheckpointAsync("account/1", 3, Encoding.UTF8.GetBytes("balance 7"));

        Assert.Equal((1L, 2L), (first.FirstVersion, first.LastVersion));
        Assert.Equal(3, second.LastVersion);
        Assert.Equal(3, checkpoint.Version);
        Assert.Equal(3, log.GetStreamInfo("account/1").Version);
        await cluster.WaitAllAppliedAsync();
        foreach (var applier in cluster.Appliers)
        {
            var account = await applier.Local.ReadStreamAsync("account/1");
            Assert.Equal("balance 7", Encoding.UTF8.GetString(account.Checkpoint!.State.Span));
            Assert.Equal(3, applier.Local.GetStreamInfo("account/1").Version);
            Assert.Equal(1, applier.Local.GetStreamInfo("account/2").Version);
        }
    }

    [Fact]
    public async Task AppendAsync_256ConcurrentWriters_ShareAFewEntriesAndEveryReplicaAppliesEveryWrite()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(StableOptions());
        var leader = cluster.Replicas.Running.Single(h => h.Status.IsLeader);
        var log = cluster.LogOf(leader.Id);
        var before = leader.Counters;

        // Paused, the leader acknowledges nothing until every write is issued (beyond what a burst already under way may
        // finish), so the writes that arrive while two entries are in flight wait and go together in the next entry:
        // typically 3 entries for the 256 writes; the bound leaves room for that one burst.
        leader.Pause();
        var writes = Enumerable.Range(0, 256)
            .Select(i => log.AppendAsync($"writer/{i}", ExpectedVersion.NoStream, Events($"w{i}")).AsTask())
            .ToArray();
        leader.Resume();
        var results = await Task.WhenAll(writes).WaitAsync(Generous);

        Assert.All(results, r => Assert.Equal(1, r.LastVersion));
        Assert.Equal(256, log.WritesProposed);
        Assert.InRange(log.EntriesProposed, 1, 16);
        Assert.Equal(log.EntriesProposed, leader.Counters.AppendsProposed - before.AppendsProposed);
        await cluster.WaitAllAppliedAsync();
        foreach (var applier in cluster.Appliers)
        {
            Assert.All(Enumerable.Range(0, 256), i => Assert.Equal(1, applier.Local.GetStreamInfo($"writer/{i}").Version));
        }
    }

    [Fact]
    public async Task AppendAsync_ConflictingWritesInOneEntry_EachCallerGetsItsOwnOutcomeOnEveryReplica()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(StableOptions());
        var leader = cluster.Replicas.Running.Single(h => h.Status.IsLeader);
        var log = cluster.LogOf(leader.Id);
        await log.AppendAsync("cart/1", ExpectedVersion.NoStream, Events("created"));

        leader.Pause();
        var writes = Enumerable.Range(0, 8).Select(i => log.AppendAsync("cart/1", 1, Events($"item {i}")).AsTask()).ToArray();
        var checkpoint = log.WriteCheckpointAsync("cart/1", 2, Encoding.UTF8.GetBytes("one item")).AsTask();
        leader.Resume();

        // Applied in proposal order: exactly one write finds version 1 (the first), the others conflict; the checkpoint
        // covers version 2, which exists by then.
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (await w).LastVersion;
            }
            catch (StreamVersionConflictException conflict)
            {
                return -conflict.ActualVersion;
            }
        })).WaitAsync(Generous);
        Assert.Equal([2L, -2, -2, -2, -2, -2, -2, -2], outcomes);
        Assert.Equal(2, (await checkpoint.WaitAsync(Generous)).Version);
        await cluster.WaitAllAppliedAsync();
        foreach (var applier in cluster.Appliers)
        {
            var cart = await applier.Local.ReadStreamAsync("cart/1");
            Assert.Equal(2, cart.Version);
            Assert.Equal("one item", Encoding.UTF8.GetString(cart.Checkpoint!.State.Span));
        }
    }

    [Fact]
    public async Task AppendAsync_StaleExpectedVersion_ThrowsConflictAndChangesNoReplica()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(StableOptions());
        var log = cluster.LeaderLog();
        await log.AppendAsync("cart/9", ExpectedVersion.NoStream, Events("added"));

        var conflict = await Assert.ThrowsAsync<StreamVersionConflictException>(() => log.AppendAsync("cart/9", ExpectedVersion.NoStream, Events("again")).AsTask());

        Assert.Equal(1, conflict.ActualVersion);
        await cluster.WaitAllAppliedAsync();
        Assert.All(cluster.Appliers, a => Assert.Equal(1, a.Local.GetStreamInfo("cart/9").Version));
    }

    [Fact]
    public async Task AppendAsync_ToAFollowersLog_IsRejectedAsNotLeader()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(StableOptions());
        var leader = await cluster.Replicas.LeaderAsync(1, Generous);
        var follower = cluster.Replicas.Running.First(h => h.Id != leader.Id);
        await cluster.Replicas.WaitUntilAsync(_ => follower.Status.Leader == leader.Id, Generous, $"{follower.Id} learning its leader");

        await Assert.ThrowsAsync<NotLeaderException>(() => cluster.LogOf(follower.Id).AppendAsync("s/1", ExpectedVersion.Any, Events("x")).AsTask());
    }

    [Fact]
    public async Task LeaderKilled_NewLeaderAfterCatchUp_ReadsEveryAcknowledgedEvent()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(FailoverOptions());
        await KillLeader_NewLeaderReadsEveryAcknowledgedEventAsync(cluster);
    }

    /// <summary>
    /// Followers that defer applying for an hour (<see cref="CommittedEntryApplier.FollowerApplyDelay"/>) hold little of the
    /// acknowledged writes in their materialized logs; the leader is killed, and the new leader's catch-up cuts its
    /// applier's wait short: it reads every acknowledged event within the test's timeout, and its next append follows them.
    /// </summary>
    [Fact]
    public async Task LeaderKilled_FollowersDeferringApplyForAnHour_NewLeaderCatchesUpAtOnceAndReadsEveryAcknowledgedEvent()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(FailoverOptions(), followerApplyDelay: TimeSpan.FromHours(1));
        await KillLeader_NewLeaderReadsEveryAcknowledgedEventAsync(cluster);
    }

    /// <summary>
    /// Appends 30 events over 5 streams through the leader of epoch 1, kills it, and asserts that the next leader, after
    /// its catch-up, reads every acknowledged version and appends after them.
    /// </summary>
    private static async Task KillLeader_NewLeaderReadsEveryAcknowledgedEventAsync(MaterializedReplicas cluster)
    {
        var acknowledged = new Dictionary<string, long>();
        for (var i = 0; i < 30; i++)
        {
            var stream = $"order/{i % 5}";
            acknowledged[stream] = await AppendOnLeaderAsync(cluster, 1, stream, $"e{i}");
        }

        var oldLeader = await cluster.Replicas.LeaderAsync(1, Generous);
        await cluster.KillAsync(oldLeader.Id);
        var newLeader = await cluster.Replicas.LeaderAsync(oldLeader.Status.Epoch + 1, Generous);
        var log = cluster.LogOf(newLeader.Id);
        await log.CatchUpAsync().WaitAsync(Generous);

        foreach (var (stream, version) in acknowledged)
        {
            var read = await log.ReadStreamAsync(stream);
            Assert.True(read.Version >= version, $"{stream}: the new leader {newLeader.Id} reads version {read.Version} after its catch-up, {version} was acknowledged");
        }

        long afterFailover = await AppendOnLeaderAsync(cluster, newLeader.Status.Epoch, "order/0", "after failover");
        Assert.True(afterFailover > acknowledged["order/0"], $"the append after the failover got version {afterFailover}");
    }

    /// <summary>
    /// Issue 62: after an erase, a read as of a time inside the erased history is the state then or the typed error on every
    /// replica (the replicated log reads its local one): never the events the erase kept presented as the whole history.
    /// (This setup already answered with the typed error before the engine's fix; the engine's conformance cases are the
    /// ones that reproduced the wrong read.)
    /// </summary>
    [Fact]
    public async Task ReadStreamAsync_AsOfATimeInsideErasedHistory_ThrowsReclaimedOnEveryReplica()
    {
        await using var cluster = await MaterializedReplicas.StartAsync(StableOptions());
        var log = cluster.LeaderLog();
        for (int v = 1; v <= 16; v++)
        {
            await log.AppendAsync("s", v - 1, Events($"p{v}"));
        }

        await log.WriteCheckpointAsync("s", 15, Encoding.UTF8.GetBytes("state@15"));
        await log.DeleteEventsToAsync("s", 13);
        await cluster.WaitAllAppliedAsync();

        var replicas = cluster.Appliers.Select(a => (IEventLog)a.Local).Append(log).ToArray();
        foreach (var replica in replicas)
        {
            // As of event 16's time checkpoint 15 did not exist yet: the state needs events 1..16, and 1..13 were erased.
            var sixteen = (await replica.ReadEventsAsync("s", 16, 16)).Single();
            if (replica is ReplicatedEventLog)
            {
                // The replicated log reads by version only (a replica's timestamps are its own): refused, typed.
                await Assert.ThrowsAsync<NotSupportedException>(async () => await replica.ReadStreamAsync("s", ReadBound.AtTime(sixteen.Timestamp)));
            }
            else
            {
                try
                {
                    var read = await replica.ReadStreamAsync("s", ReadBound.AtTime(sixteen.Timestamp));
                    Assert.Fail($"as of {sixteen.Timestamp:O} (event 16's time): expected EventsReclaimedException, got version {read.Version}, "
                        + $"checkpoint {read.Checkpoint?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} written at {read.Checkpoint?.Timestamp:O}, events {string.Join(",", read.Events.Select(e => e.Version))}");
                }
                catch (EventsReclaimedException reclaimed)
                {
                    Assert.Equal("s", reclaimed.StreamId);
                }
            }

            await Assert.ThrowsAsync<EventsReclaimedException>(async () => await replica.ReadStreamAsync("s", ReadBound.AtVersion(14)));
            var latest = await replica.ReadStreamAsync("s");
            Assert.Equal((15L, 16L), (latest.Checkpoint!.Version, latest.Version));
            Assert.Equal(["p16"], latest.Events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
        }
    }

    /// <summary>
    /// Appends through whichever replica leads (an epoch of at least <paramref name="minEpoch"/>) and returns the
    /// acknowledged version. Leadership may move under a loaded machine (a late heartbeat starts another epoch): a refusal
    /// (nothing appended) or an unknown outcome (not acknowledged) is retried on the then leader, so only acknowledged
    /// versions are returned, which is what the callers check.
    /// </summary>
    private static async Task<long> AppendOnLeaderAsync(MaterializedReplicas cluster, long minEpoch, string stream, string text)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (true)
        {
            var leader = await cluster.Replicas.LeaderAsync(minEpoch, Generous);
            try
            {
                return (await cluster.LogOf(leader.Id).AppendAsync(stream, ExpectedVersion.Any, Events(text))).LastVersion;
            }
            catch (Exception ex) when (ex is NotLeaderException or AppendOutcomeUnknownException && DateTime.UtcNow < deadline)
            {
            }
        }
    }

    [Fact]
    public async Task CommittedEntryApplier_OntoALogThatHoldsRecords_IsRefused()
    {
        await using var replicas = new HostedReplicas(1, StableOptions());
        await using var local = new InMemoryEventLog();
        await local.AppendAsync("old/1", ExpectedVersion.Any, Events("stale"));

        var error = Assert.Throws<ArgumentException>(() => new CommittedEntryApplier(replicas.Running.Single(), local));

        Assert.Contains("must start empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplicatedOperation_RoundTrip_KeepsEveryField()
    {
        var operation = new ReplicatedOperation(ReplicatedOperationKind.Append, Guid.NewGuid(), "stream/é", 42, Events("a", "", "ccc"));

        var decoded = ReplicatedOperation.Decode(7, operation.Encode());

        Assert.Equal((operation.Kind, operation.OperationId, operation.StreamId, operation.Version), (decoded.Kind, decoded.OperationId, decoded.StreamId, decoded.Version));
        Assert.Equal(["a", "", "ccc"], decoded.Items.Select(i => Encoding.UTF8.GetString(i.Span)));
    }

    [Fact]
    public void ReplicatedOperationBatch_RoundTripAndSingleOperation_DecodeInOrder()
    {
        var operations = Enumerable.Range(0, 3)
            .Select(i => new ReplicatedOperation(ReplicatedOperationKind.Append, Guid.NewGuid(), $"s/{i}", i, Events($"e{i}")))
            .ToArray();

        var batch = ReplicatedOperationBatch.Decode(5, ReplicatedOperationBatch.Encode(operations.Select(o => o.Encode()).ToArray()));
        var single = ReplicatedOperationBatch.Decode(6, operations[0].Encode());

        Assert.Equal(operations.Select(o => (o.OperationId, o.StreamId, o.Version)), batch.Select(o => (o.OperationId, o.StreamId, o.Version)));
        Assert.Equal(["e0", "e1", "e2"], batch.Select(o => Encoding.UTF8.GetString(o.Items[0].Span)));
        Assert.Equal(operations[0].OperationId, Assert.Single(single).OperationId);
    }

    [Fact]
    public void ReplicatedOperationBatch_EveryTruncation_IsMalformedNamingTheLsn()
    {
        var encoded = ReplicatedOperationBatch.Encode(
            [new ReplicatedOperation(ReplicatedOperationKind.Append, Guid.NewGuid(), "s/1", 1, Events("a")).Encode(),
             new ReplicatedOperation(ReplicatedOperationKind.DeleteStream, Guid.NewGuid(), "s/2", 4, []).Encode()]);

        for (var length = 1; length < encoded.Length; length++)
        {
            var error = Assert.Throws<MalformedReplicatedOperationException>(() => ReplicatedOperationBatch.Decode(12, encoded.AsMemory(0, length)));
            Assert.Equal(12, error.Lsn);
        }
    }

    [Fact]
    public void ReplicatedOperation_EveryTruncation_IsMalformedNamingTheLsn()
    {
        var encoded = new ReplicatedOperation(ReplicatedOperationKind.Checkpoint, Guid.NewGuid(), "s/1", 3, Events("state")).Encode();

        for (var length = 0; length < encoded.Length; length++)
        {
            var error = Assert.Throws<MalformedReplicatedOperationException>(() => ReplicatedOperation.Decode(11, encoded.AsMemory(0, length)));
            Assert.Equal(11, error.Lsn);
        }
    }

    private static IReadOnlyList<ReadOnlyMemory<byte>> Events(params string[] texts) => texts.Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t)).ToArray();

    /// <summary>Three hosted replicas, each with an in-memory materialized log and its applier.</summary>
    private sealed class MaterializedReplicas : IAsyncDisposable
    {
        private readonly Dictionary<ReplicaId, CommittedEntryApplier> _appliers = [];

        private MaterializedReplicas(HostedReplicas replicas) => Replicas = replicas;

        public HostedReplicas Replicas { get; }

        public IEnumerable<CommittedEntryApplier> Appliers => _appliers.Values;

        public static async Task<MaterializedReplicas> StartAsync(ReplicaOptions options, TimeSpan followerApplyDelay = default)
        {
            var cluster = new MaterializedReplicas(new HostedReplicas(3, options));
            foreach (var host in cluster.Replicas.Running)
            {
                var applier = new CommittedEntryApplier(host, new InMemoryEventLog()) { FollowerApplyDelay = followerApplyDelay };
                cluster._appliers[host.Id] = applier;
                applier.Start();
            }

            await cluster.Replicas.LeaderAsync(1, Generous);
            return cluster;
        }

        public ReplicatedEventLog LogOf(ReplicaId id) => new(Replicas[id], _appliers[id]);

        public ReplicatedEventLog LeaderLog() => LogOf(Replicas.Running.Single(h => h.Status.IsLeader).Id);

        public async Task WaitAllAppliedAsync()
        {
            var end = Replicas.Running.Max(h => h.Status.EndLsn);
            foreach (var applier in Appliers)
            {
                await applier.WaitAppliedAsync(end).WaitAsync(Generous);
            }
        }

        public async Task KillAsync(ReplicaId id)
        {
            await _appliers[id].DisposeAsync();
            await _appliers[id].Local.DisposeAsync();
            _appliers.Remove(id);
            await Replicas.KillAsync(id);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var id in _appliers.Keys.ToArray())
            {
                await KillAsync(id);
            }

            await Replicas.DisposeAsync();
        }
    }
}
