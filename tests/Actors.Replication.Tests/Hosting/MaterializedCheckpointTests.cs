using System.Text;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;
using Xunit.Abstractions;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Checkpoints of the materialized log: three replicas whose <see cref="CommittedEntryApplier"/>s write real
/// <see cref="WriteAheadLog"/>s and checkpoint them (<see cref="WriteAheadLogDirectoryState"/>) every few entries, so each
/// replica deletes its entry log's prefix. A restarted replica rebuilds from its own checkpoint, one kept down while the
/// leader deleted what it lacks takes the leader's checkpoint and rebuilds from it; every replica's materialized log then
/// holds every write exactly once, in order.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MaterializedCheckpointTests(ITestOutputHelper output)
{
    /// <summary>About 400 bytes per write: 220 writes fill the replicas' 64 KiB entry-log segments more than once.</summary>
    private static readonly string Padding = new('x', 400);

    [Fact]
    public async Task Appliers_CheckpointRestartAndCatchUpFromTheLeadersCheckpoint_EveryReplicaHoldsEveryWriteOnceInOrder()
    {
        await using var cluster = await CheckpointingReplicas.StartAsync(Options(), checkpointEveryEntries: 16);
        var leader = await cluster.Replicas.LeaderAsync(1, Generous);
        var log = cluster.LogOf(leader.Id);
        var followers = cluster.Replicas.Ids.Where(id => id != leader.Id).ToArray();
        var (restarted, keptDown) = (followers[0], followers[1]);
        var written = 0;

        written = await WriteAsync(log, written, 20);
        var keptDownEnd = cluster.Replicas[keptDown].Status.EndLsn;
        await cluster.KillAsync(keptDown);
        written = await WriteAsync(log, written, 200);

        // The leader and the running follower checkpointed and deleted entry-log segments; the leader's log starts past
        // everything the replica kept down holds.
        await cluster.Replicas.WaitUntilAsync(
            _ => new[] { leader.Id, restarted }.All(id => cluster.Applier(id).CheckpointsTaken > 0 && cluster.Replicas[id].Counters.SegmentsDeleted > 0)
                && leader.Status.StartLsn > keptDownEnd,
            Generous,
            "the leader and a follower checkpointing and deleting segments past the replica kept down");

        await cluster.KillAsync(restarted);
        await cluster.StartAsync(restarted);
        await cluster.StartAsync(keptDown);
        await cluster.Replicas.WaitUntilAsync(
            configuration => configuration.InSync.Length == 3 && cluster.Replicas.Running.All(h => h.Status.DurableLsn >= leader.Status.EndLsn),
            Generous,
            "both restarted followers back in the in-sync set and caught up");
        written = await WriteAsync(log, written, 20);
        await cluster.WaitAllAppliedAsync();

        // Restarted over its disk: its log starts at its checkpoint, and its materialized log was rebuilt from it.
        Assert.True(cluster.Replicas[restarted].Status.StartLsn > 1, $"{restarted}: {cluster.Replicas[restarted].Status}");
        Assert.True(cluster.Applier(restarted).RestoredFromLsn > 1, $"{restarted} rebuilt from LSN {cluster.Applier(restarted).RestoredFromLsn}");
        // Kept down: it took the leader's checkpoint, and its applier rebuilt from it.
        Assert.True(cluster.Replicas[keptDown].Counters.CheckpointsInstalled >= 1, $"{keptDown}: {cluster.Replicas[keptDown].Counters}");
        Assert.True(cluster.Applier(keptDown).RestoredFromLsn > keptDownEnd, $"{keptDown} rebuilt from LSN {cluster.Applier(keptDown).RestoredFromLsn}");
        foreach (var id in cluster.Replicas.Ids)
        {
            await AssertEveryWriteOnceInOrderAsync(cluster.Applier(id).Local, written, id);
        }

        output.WriteLine(string.Join("; ", cluster.Replicas.Ids.Select(id =>
            $"{id}: log from LSN {cluster.Replicas[id].Status.StartLsn} to {cluster.Replicas[id].Status.EndLsn}, {cluster.Applier(id).CheckpointsTaken} checkpoints taken, "
            + $"rebuilt from LSN {cluster.Applier(id).RestoredFromLsn}, {cluster.Replicas[id].Counters.CheckpointsInstalled} installed")));
    }

    [Fact]
    public async Task Restart_RestoreFromItsCheckpointFailsUntilTheDiskRecovers_RetriesWithBackOffSurfacesTypedErrorThenHoldsEveryWrite()
    {
        await using var cluster = await CheckpointingReplicas.StartAsync(Options(), checkpointEveryEntries: 16);
        var leader = await cluster.Replicas.LeaderAsync(1, Generous);
        var log = cluster.LogOf(leader.Id);
        var follower = cluster.Replicas.Ids.First(id => id != leader.Id);
        var written = await WriteAsync(log, 0, 60);
        await cluster.Replicas.WaitUntilAsync(
            _ => cluster.Applier(follower).CheckpointsTaken > 0, Generous, $"{follower} checkpointing its materialized log");

        // Restarted over its disk, the follower must rebuild its materialized log from its checkpoint; the disk refuses
        // the restore until the test lets it succeed.
        var disk = FailingMaterializedDisk.FailingRestores();
        var applier = await cluster.RestartOnAsync(follower, disk);
        await cluster.Replicas.WaitUntilAsync(_ => applier.RestoreFailures >= 2, Generous, $"{follower}'s applier retrying its failed restore");

        // Not given up: no failure, and the latest restore failure is typed and names the checkpoint.
        Assert.Null(applier.Failure);
        var failure = Assert.IsType<CheckpointRestoreFailedException>(applier.RestoreFailure);
        Assert.Equal(follower, failure.Replica);
        Assert.Equal(cluster.Replicas[follower].Status.StartLsn, failure.CheckpointLsn);
        Assert.True(failure.Attempt >= 2, $"attempt {failure.Attempt}");
        Assert.True(failure.RetryIn > CommittedEntryApplier.FirstRestoreRetryDelay, $"back-off {failure.RetryIn} after attempt {failure.Attempt}");
        Assert.IsType<MaterializedStateException>(failure.InnerException);

        disk.Recover();
        written = await WriteAsync(log, written, 20);
        await cluster.WaitAllAppliedAsync();
        Assert.Null(applier.RestoreFailure);
        Assert.True(applier.RestoredFromLsn > 0, $"{follower} rebuilt from LSN {applier.RestoredFromLsn}");
        await AssertEveryWriteOnceInOrderAsync(applier.Local, written, follower);
        output.WriteLine($"{follower}: {applier.RestoreFailures} failed restores of its checkpoint at LSN {failure.CheckpointLsn}, then rebuilt from LSN {applier.RestoredFromLsn}; last error: {failure.Message}");
    }

    [Fact]
    public async Task Applier_CaptureFailsUntilTheDiskRecovers_KeepsApplyingKeepsEveryEntryThenCheckpoints()
    {
        await using var cluster = await CheckpointingReplicas.StartAsync(Options(), checkpointEveryEntries: 16);
        var leader = await cluster.Replicas.LeaderAsync(1, Generous);
        var log = cluster.LogOf(leader.Id);
        var follower = cluster.Replicas.Ids.First(id => id != leader.Id);

        // The follower restarts onto a disk whose captures fail: every checkpoint it would take is refused.
        var disk = FailingMaterializedDisk.FailingCaptures();
        var applier = await cluster.RestartOnAsync(follower, disk);
        var startLsn = cluster.Replicas[follower].Status.StartLsn;
        var written = await WriteAsync(log, 0, 60);
        await cluster.Replicas.WaitUntilAsync(_ => applier.CaptureFailures >= 2, Generous, $"{follower}'s applier failing to capture twice");

        // Not stopped: it applied everything, offered nothing, and its host deleted no entry.
        await cluster.WaitAllAppliedAsync();
        Assert.Null(applier.Failure);
        Assert.Equal(0, applier.CheckpointsOffered);
        Assert.Equal(startLsn, cluster.Replicas[follower].Status.StartLsn);
        await AssertEveryWriteOnceInOrderAsync(applier.Local, written, follower);

        disk.Recover();
        written = await WriteAsync(log, written, 40);
        await cluster.Replicas.WaitUntilAsync(_ => applier.CheckpointsTaken > 0, Generous, $"{follower} checkpointing once its captures work");
        await cluster.WaitAllAppliedAsync();
        Assert.True(cluster.Replicas[follower].Status.StartLsn > startLsn, $"{follower}: {cluster.Replicas[follower].Status}");
        await AssertEveryWriteOnceInOrderAsync(applier.Local, written, follower);
        output.WriteLine($"{follower}: {applier.CaptureFailures} failed captures, then {applier.CheckpointsTaken} checkpoints taken; log starts at LSN {cluster.Replicas[follower].Status.StartLsn}");
    }

    /// <summary>
    /// Fast heartbeats and configuration polls; a leader timeout far beyond the tests (the leader never changes); a
    /// follower down is dropped from the in-sync set after 1 s.
    /// </summary>
    private static ReplicaOptions Options() => new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        FollowerLagTimeout = TimeSpan.FromSeconds(1),
        LeaderTimeout = TimeSpan.FromSeconds(30),
        ConfigurationPollInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>
    /// Writes with <see cref="ExpectedVersion.Any"/>: an entry applied twice would store its event twice, one skipped would
    /// lack it; the stream must read 0, 1, ..., <paramref name="count"/> - 1, each once.
    /// </summary>
    private static async Task AssertEveryWriteOnceInOrderAsync(IEventLog local, int count, ReplicaId replica)
    {
        var read = new List<string>();
        await foreach (var stored in local.ReadStreamEventsAsync("ledger"))
        {
            read.Add(Encoding.UTF8.GetString(stored.Payload.Span).Split('-')[0]);
        }

        var expected = Enumerable.Range(0, count).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(
            read.SequenceEqual(expected),
            $"{replica}'s materialized log holds {read.Count} writes, expected {count} once each in order; "
            + $"duplicated: [{string.Join(",", read.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).Take(10))}], "
            + $"missing: [{string.Join(",", expected.Except(read).Take(10))}]");
        Assert.Equal(count, local.GetStreamInfo("ledger").Version);
    }

    private static async Task<int> WriteAsync(ReplicatedEventLog log, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            var payload = Encoding.UTF8.GetBytes($"{i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)}-{Padding}");
            await log.AppendAsync("ledger", ExpectedVersion.Any, [payload]).AsTask().WaitAsync(Generous);
        }

        return from + count;
    }
}
