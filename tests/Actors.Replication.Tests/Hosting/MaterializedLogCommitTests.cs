using Actors.Replication.Wal.EventLog;
using Actors.Wal;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// What the replicas' materialized logs cost (issue 61): a <see cref="CommittedEntryApplier"/> onto a
/// <see cref="WriteAheadLog"/> that commits on the calling thread commits each burst of committed entries once, so a
/// replica commits at most once per entry however many writes an entry carries (once per write before: 256 commits for
/// the 256 writes below).
/// </summary>
[Trait("Category", "Integration")]
public sealed class MaterializedLogCommitTests
{
    [Fact]
    public async Task Appliers_256WritesInAFewEntries_EachReplicaCommitsAtMostOncePerEntry()
    {
        const int Writes = 256;
        await using var cluster = await CheckpointingReplicas.StartAsync(StableOptions(), checkpointEveryEntries: 1_000_000);
        var leader = await cluster.Replicas.LeaderAsync(1, Generous);
        var log = cluster.LogOf(leader.Id);

        // Paused, the leader acknowledges nothing until every write is issued: they share a few entries.
        leader.Pause();
        var writes = Enumerable.Range(0, Writes)
            .Select(i => log.AppendAsync($"writer/{i}", ExpectedVersion.NoStream, [new byte[] { (byte)i }]).AsTask())
            .ToArray();
        leader.Resume();
        await Task.WhenAll(writes).WaitAsync(Generous);
        await cluster.WaitAllAppliedAsync();

        foreach (var id in cluster.Replicas.Ids)
        {
            var applier = cluster.Applier(id);
            var statistics = applier.Local.GetStatistics();
            Assert.Equal(Writes, statistics.AppendedRecords);
            Assert.True(
                statistics.Commits <= applier.AppliedLsn,
                $"{id}: {statistics.Commits} commits of the materialized log for {Writes} writes in {applier.AppliedLsn} entries");
        }
    }
}
