using Actors.Replication.Options;
using System.Text;
using Actors.Replication.Wal;
using Actors.Wal.Entries;
using Xunit.Abstractions;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Checkpoints on the real host: three <see cref="ReplicaHost"/>s over their own <see cref="EntryLog"/> directories,
/// messages through the wire codec. A follower is down while the leader checkpoints and deletes the entries the follower
/// still needs; restarted, it is sent the checkpoint in checksummed chunks, installs it, catches up after it and rejoins
/// the in-sync set, with no acknowledged entry lost. Chunks damaged in transit are refused.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicaHostCheckpointTests(ITestOutputHelper output)
{
    /// <summary>About 1 KiB per entry: 120 entries fill two 64 KiB segments, so the checkpoint deletes whole segments.</summary>
    private static readonly string Padding = new('x', 1000);

    [Theory]
    [InlineData(EntryLogLayout.SharedJournal)]
    [InlineData(EntryLogLayout.PerReplicaFiles)]
    public async Task FollowerDownWhileTheLeaderCheckpointed_Restarted_InstallsTheCheckpointFromChunksAndConvergesWithNoAcknowledgedLoss(EntryLogLayout layout)
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions(), layout: layout);
        var line = await FollowerMissesDeletedEntriesAsync(replicas, chunksToDamage: 0);

        Assert.Equal(0, ((LoopbackReplicationTransport)replicas.Network).Refused);
        output.WriteLine(line);
    }

    [Fact]
    public async Task CheckpointTransfer_ChunksDamagedInTransit_AreRefusedAndOnlyAnIntactResendIsInstalled()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions());
        var line = await FollowerMissesDeletedEntriesAsync(replicas, chunksToDamage: 3);

        Assert.Equal(3, ((LoopbackReplicationTransport)replicas.Network).Refused);
        output.WriteLine(line);
    }

    [Fact]
    public async Task CheckpointTransfer_ChunksStillInTransitOverManyHeartbeats_SendsEachChunkOnceThenInstalls()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions());
        var transport = (LoopbackReplicationTransport)replicas.Network;
        long chunksBeforeRelease = 0;
        long heartbeatRequests = 0;

        var line = await FollowerMissesDeletedEntriesAsync(
            replicas,
            chunksToDamage: 0,
            beforeRestart: leader =>
            {
                // Nothing may be resent for lack of progress during this test: only the heartbeats could send chunks again.
                leader.CheckpointResendAfter = TimeSpan.FromHours(1);
                transport.HoldChunks();
            },
            whileTransferring: async leader =>
            {
                await replicas.WaitUntilAsync(_ => leader.Counters.CheckpointChunksSent > 0, Generous, "the leader sending the checkpoint's first chunks");
                // At least ten heartbeat intervals of the leader (20 ms each, every follower gets a request per interval)
                // pass while every chunk is still in transit and the follower keeps answering that it lacks the entries.
                var requests = transport.AppendRequests;
                await replicas.WaitUntilAsync(_ => transport.AppendRequests >= requests + 20, Generous, "20 more append requests from the leader");
                heartbeatRequests = transport.AppendRequests - requests;
                chunksBeforeRelease = leader.Counters.CheckpointChunksSent;
                transport.ReleaseHeldChunks();
            });

        // The state is 8 chunks of 16 KiB, all within the first window: each was sent once, whatever the heartbeats asked.
        Assert.Equal(8, chunksBeforeRelease);
        Assert.Equal(0, transport.Refused);
        output.WriteLine($"{line}; {heartbeatRequests} append requests while the chunks were in transit, {chunksBeforeRelease} chunks sent by then");
    }

    [Fact]
    public async Task CompactAsync_WhileItsCheckpointFileIsBeingWritten_AppendsAreStillAcknowledgedThenItTakesEffect()
    {
        await using var replicas = new HostedReplicas(3, StableOptions());
        var leader = await replicas.LeaderAsync(1, Generous);
        var acked = new List<Acknowledged>();
        await AppendPaddedAsync(leader, "before", 20, acked);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        leader.BeforeCheckpointWrite = () =>
        {
            entered.TrySetResult();
            return release.Task;
        };
        var lsn = acked.Max(a => a.Result.Lsn);

        var compaction = leader.CompactAsync(lsn, Encoding.UTF8.GetBytes("the state after 20 entries"));
        await entered.Task.WaitAsync(Generous);

        // The checkpoint file's write is held open: the leader's driver loop is not waiting for it.
        await AppendPaddedAsync(leader, "during", 10, acked);
        Assert.False(compaction.IsCompleted, "the checkpoint took effect before its file was written");
        Assert.Equal(0, leader.Status.StartLsn);

        release.SetResult();
        Assert.True(await compaction.WaitAsync(Generous), "the leader refused to checkpoint");
        await replicas.WaitUntilAsync(_ => leader.Status.StartLsn == lsn, Generous, $"the leader's log starting at {lsn}");
        await replicas.StopAllAsync();
        var (checkpoint, entries) = replicas.ReadStoppedCheckpointAndLog(leader.Id);
        Assert.Equal((lsn, "the state after 20 entries"), (checkpoint.Lsn, Encoding.UTF8.GetString(checkpoint.State.Span)));
        Assert.Equal(acked.Where(a => a.Result.Lsn > lsn).Select(a => a.Result.Lsn), entries.Select(e => e.Lsn));
    }

    /// <summary>
    /// 20 acknowledged entries, a follower killed, 100 more (acknowledged without it), the leader checkpoints at its
    /// committed end and deletes segments, the follower restarts over its disk (entries 1..20), takes the checkpoint
    /// (the first <paramref name="chunksToDamage"/> chunks damaged in transit), catches up, rejoins, 10 more appends;
    /// then every replica's checkpoint plus log holds every acknowledged entry. <paramref name="beforeRestart"/> and
    /// <paramref name="whileTransferring"/> run just before the follower restarts and just after.
    /// </summary>
    private static async Task<string> FollowerMissesDeletedEntriesAsync(
        HostedReplicas replicas, int chunksToDamage, Action<ReplicaHost>? beforeRestart = null, Func<ReplicaHost, Task>? whileTransferring = null)
    {
        var transport = (LoopbackReplicationTransport)replicas.Network;
        var acked = new List<Acknowledged>();
        var leader = await replicas.LeaderAsync(1, Generous);
        leader.CheckpointChunkBytes = 16 * 1024;
        await AppendPaddedAsync(leader, "before", 20, acked);
        var follower = replicas.Running.First(h => h.Id != leader.Id).Id;
        await replicas.KillAsync(follower);
        await AppendPaddedAsync(leader, "while-down", 100, acked);

        // The leader's state after every committed entry, as a consumer of ReadCommittedAsync builds it.
        var checkpointLsn = leader.Status.CommittedLsn;
        var committed = new List<LoggedEntry>();
        while (committed.Count < checkpointLsn)
        {
            committed.AddRange(await leader.ReadCommittedAsync(committed.Count + 1, 64).WaitAsync(Generous));
        }

        var state = State(committed.Take((int)checkpointLsn));
        Assert.True(await leader.CompactAsync(checkpointLsn, state).WaitAsync(Generous), "the leader refused to checkpoint");
        // The status is published after the driver loop's burst, which may end after the compaction completed.
        await replicas.WaitUntilAsync(_ => leader.Status.StartLsn == checkpointLsn, Generous, $"the leader's status showing its log starting at {checkpointLsn}");
        Assert.True(leader.Counters.SegmentsDeleted > 0, $"the checkpoint deleted no segment ({leader.Counters})");
        await Assert.ThrowsAsync<EntriesCheckpointedException>(() => leader.ReadCommittedAsync(1, 10).WaitAsync(Generous));

        transport.ChunksToDamage = chunksToDamage;
        beforeRestart?.Invoke(leader);
        replicas.Start(follower);
        if (whileTransferring is not null)
        {
            await whileTransferring(leader);
        }
        await replicas.WaitUntilAsync(
            configuration => configuration.InSync.Contains(follower) && replicas[follower].Status.DurableLsn >= leader.Status.EndLsn,
            Generous,
            $"{follower} taking the checkpoint, catching up and rejoining the in-sync set");
        await AppendPaddedAsync(leader, "after", 10, acked);
        var lastLsn = acked.Max(a => a.Result.Lsn);
        await replicas.WaitUntilAsync(_ => replicas.Running.All(h => h.Status.DurableLsn >= lastLsn), Generous, "every replica syncing every acknowledged entry");

        var restarted = replicas[follower];
        var leaderCounters = leader.Counters;
        var followerCounters = restarted.Counters;
        Assert.Equal(1, followerCounters.CheckpointsInstalled);
        Assert.Equal(checkpointLsn, restarted.Status.StartLsn);
        Assert.Equal(state, (await restarted.ReadCheckpointAsync().WaitAsync(Generous)).State.ToArray());
        await replicas.StopAllAsync();

        foreach (var id in replicas.Ids)
        {
            var (checkpoint, entries) = replicas.ReadStoppedCheckpointAndLog(id);
            AssertHoldsEveryAcknowledged(checkpoint, entries, acked, id);
        }

        var installed = replicas.ReadStoppedCheckpointAndLog(follower).Checkpoint;
        Assert.Equal(state, installed.State.ToArray());
        return $"checkpoint at LSN {checkpointLsn} ({state.Length} bytes): leader deleted {leaderCounters.SegmentsDeleted} segments, sent {leaderCounters.CheckpointChunksSent} chunks; "
            + $"{follower} installed {followerCounters.CheckpointsInstalled}, {transport.Refused} damaged chunks refused; {acked.Count} entries acknowledged";
    }

    private static async Task AppendPaddedAsync(ReplicaHost leader, string prefix, int count, List<Acknowledged> acked)
    {
        for (var i = 0; i < count; i++)
        {
            var payload = $"{prefix}-{i}-{Padding}";
            acked.Add(new Acknowledged(payload, await leader.AppendAsync(Encoding.UTF8.GetBytes(payload)).WaitAsync(Generous)));
        }
    }

    /// <summary>The test's materialized state: one line per entry, "lsn epoch payload".</summary>
    private static byte[] State(IEnumerable<LoggedEntry> entries)
        => Encoding.UTF8.GetBytes(string.Concat(entries.Select(e => $"{e.Lsn} {e.Epoch} {Encoding.UTF8.GetString(e.Payload.Span)}\n")));

    private static void AssertHoldsEveryAcknowledged(EntryLogCheckpoint checkpoint, IReadOnlyList<LoggedEntry> entries, IEnumerable<Acknowledged> acked, ReplicaId replica)
    {
        var inState = Encoding.UTF8.GetString(checkpoint.State.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3))
            .ToDictionary(parts => long.Parse(parts[0]), parts => (Epoch: long.Parse(parts[1]), Payload: parts[2]));
        foreach (var (payload, result) in acked)
        {
            if (result.Lsn <= checkpoint.Lsn)
            {
                Assert.True(
                    inState.TryGetValue(result.Lsn, out var held) && held.Epoch == result.Epoch && held.Payload == payload,
                    $"{replica}: acknowledged '{payload[..Math.Min(20, payload.Length)]}' at LSN {result.Lsn} is not in its checkpoint at LSN {checkpoint.Lsn}");
                continue;
            }

            var index = (int)(result.Lsn - checkpoint.Lsn - 1);
            Assert.True(index < entries.Count, $"{replica}: acknowledged LSN {result.Lsn} but the log ends at {checkpoint.Lsn + entries.Count}");
            var entry = entries[index];
            Assert.True(
                entry.Lsn == result.Lsn && entry.Epoch == result.Epoch && Encoding.UTF8.GetString(entry.Payload.Span) == payload,
                $"{replica}: LSN {result.Lsn} does not hold the acknowledged entry");
        }
    }
}
