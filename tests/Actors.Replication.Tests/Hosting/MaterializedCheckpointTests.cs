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
        var options = new ReplicaOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(20),
            FollowerLagTimeout = TimeSpan.FromSeconds(1),
            // Far beyond the test: the leader never changes; a follower down is dropped from the in-sync set after 1 s.
            LeaderTimeout = TimeSpan.FromSeconds(30),
            ConfigurationPollInterval = TimeSpan.FromMilliseconds(100),
        };
        await using var cluster = await CheckpointingReplicas.StartAsync(options, checkpointEveryEntries: 16);
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

    /// <summary>Hosted replicas, each with an applier onto a write-ahead log of its own that it checkpoints.</summary>
    private sealed class CheckpointingReplicas : IAsyncDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-materialized-checkpoint-tests", Guid.NewGuid().ToString("N"));
        private readonly Dictionary<ReplicaId, CommittedEntryApplier> _appliers = [];
        private readonly long _checkpointEveryEntries;

        private CheckpointingReplicas(HostedReplicas replicas, long checkpointEveryEntries)
        {
            Replicas = replicas;
            _checkpointEveryEntries = checkpointEveryEntries;
        }

        public HostedReplicas Replicas { get; }

        public static async Task<CheckpointingReplicas> StartAsync(ReplicaOptions options, long checkpointEveryEntries)
        {
            var cluster = new CheckpointingReplicas(new HostedReplicas(3, options), checkpointEveryEntries);
            foreach (var host in cluster.Replicas.Running)
            {
                await cluster.StartApplierAsync(host);
            }

            return cluster;
        }

        public CommittedEntryApplier Applier(ReplicaId id) => _appliers[id];

        public ReplicatedEventLog LogOf(ReplicaId id) => new(Replicas[id], _appliers[id]);

        /// <summary>Restarts a killed replica over its entry log, with an empty materialized log (the applier rebuilds it).</summary>
        public async Task StartAsync(ReplicaId id)
        {
            Replicas.Start(id);
            await StartApplierAsync(Replicas[id]);
        }

        public async Task WaitAllAppliedAsync()
        {
            var end = Replicas.Running.Max(h => h.Status.EndLsn);
            foreach (var applier in _appliers.Values)
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
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }

        private async ValueTask StartApplierAsync(ReplicaHost host)
        {
            var directory = Path.Combine(_root, $"materialized-{host.Id.Value}");
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            var options = new WriteAheadLogOptions
            {
                Directory = directory,
                SegmentSizeBytes = 1024 * 1024,
                MaxRecordSizeBytes = 64 * 1024,
                PreallocateSegments = false,
                SyncPolicy = SyncPolicy.None,
            };
            var state = new WriteAheadLogDirectoryState(
                directory,
                open: async ct => await WriteAheadLog.OpenAsync(options, cancellationToken: ct),
                close: log => log.DisposeAsync());
            var applier = new CommittedEntryApplier(
                host, await WriteAheadLog.OpenAsync(options), new MaterializedCheckpointPolicy(state, _checkpointEveryEntries, long.MaxValue));
            _appliers[host.Id] = applier;
            applier.Start();
        }
    }
}
