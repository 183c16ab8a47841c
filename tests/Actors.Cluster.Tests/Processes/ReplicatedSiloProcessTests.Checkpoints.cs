using Actors.Client;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Support;
using Actors.Demo.Grains.Accounts;

namespace Actors.Cluster.Tests.Processes;

/// <summary>
/// Checkpoints in real processes (issue 13): silos whose replicas checkpoint every few entries and delete their entry
/// logs' prefixes (<see cref="SmallCheckpoints"/>), a follower SIGKILLed and kept down under durable load until its
/// leaders deleted entries it lacks, restarted: it can only catch up by taking their checkpoints.
/// </summary>
public sealed partial class ReplicatedSiloProcessTests
{
    /// <summary>
    /// Two partitions on three silos, so one silo leads none (a pure follower). It is SIGKILLed; the writers go on through
    /// the leaders until each partition's leader deleted its entry log past the last entry the killed silo holds on disk;
    /// restarted, its replicas must install their leaders' checkpoints (counted by the silo, read from its /metrics) and
    /// rejoin both in-sync sets. Then both leaders are SIGKILLed: the returned silo, the only replica left, takes both
    /// partitions over and every acknowledged deposit must be in its accounts.
    /// </summary>
    [Fact]
    public async Task SigkilledFollower_ReturnsAfterItsLeadersDeletedItsPrefix_InstallsTheirCheckpointsAndServesEveryAcknowledgedDepositAfterTheLeadersDie()
    {
        string[] silos = ["s0", "s1", "s2"];
        await using var cluster = await StartAsync(smallCheckpoints: true, partitionCount: 2);
        ClusterSnapshot start = await cluster.ReadAsync();
        string follower = silos.First(s => start.Partitions.All(p => p.Owner != s));
        string[] leaders = [.. silos.Where(s => s != follower)];
        var ledger = new Ledger();
        IReadOnlyDictionary<int, long> endAtKill;
        await using (IClusterClient client = await cluster.ConnectAsync(leaders))
        await using (var writers = new Writers(client, output, ledger))
        {
            long started = writers.Mark();
            await Eventually.TrueAsync(() => writers.Acknowledged >= 100 && writers.EveryAccountServedAfter(started) is not null, Limit,
                "100 deposits acknowledged, and one on every account (both partitions served), before the SIGKILL");
            await cluster[follower].KillAsync();
            endAtKill = await WaitLeadersDeletedPrefixAsync(cluster, follower, "the follower's SIGKILL");
            Assert.Equal(2, endAtKill.Count);
            await cluster.StartAsync(follower);
            await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => p.InSync.Count == 3), Limit,
                $"the restarted {follower} back in both in-sync sets");
            long atRejoin = writers.Acknowledged;
            await Eventually.TrueAsync(() => writers.Acknowledged >= atRejoin + 100, Limit, $"100 more deposits acknowledged after {follower} rejoined");
        }

        // The transfer happened: the restarted silo's replicas each took a leader's checkpoint covering entries it lacked.
        string transfers = await AssertCheckpointsInstalledAsync(cluster, follower, endAtKill, "the follower's return");

        // The returned follower becomes the only replica left: it takes both partitions over and serves them.
        await using (IClusterClient client = await cluster.ConnectAsync(follower))
        await using (var writers = new Writers(client, output, ledger))
        {
            await Eventually.TrueAsync(() => writers.Acknowledged >= 100, Limit, $"100 deposits acknowledged through {follower}'s gateway");
            ClusterSnapshot before = await cluster.ReadAsync();
            await Task.WhenAll(leaders.Select(l => cluster[l].KillAsync()));
            await Eventually.TrueAsync(async () =>
            {
                ClusterSnapshot table = await cluster.ReadAsync();
                return table.Partitions.All(p => p.Owner == follower && p.Epoch > before.Partitions[p.Partition].Epoch);
            }, Limit, $"{follower} leading both partitions under a later epoch after the SIGKILL of {string.Join(" and ", leaders)}");
            long atTakeover = writers.Acknowledged;
            await Eventually.TrueAsync(() => writers.Acknowledged >= atTakeover + 100, Limit, $"100 more deposits acknowledged by {follower} alone");
            await writers.StopAsync();
            output.WriteLine($"{follower} killed at entry-log ends {string.Join(", ", endAtKill.Select(e => $"p{e.Key}: {e.Value}"))}; after its return {transfers}; "
                + $"{writers.Acknowledged} deposits acknowledged, {writers.Failed} failed; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        }

        await using (IClusterClient client = await cluster.ConnectAsync(follower))
        {
            await ledger.VerifyAsync(client);
        }
    }

    /// <summary>
    /// With <paramref name="victim"/> killed and the writers running on the other silos: reads the entry logs the victim
    /// left on disk, then waits until the leader (another silo) of every partition holding a writer's account checkpointed
    /// and deleted its entry log past the last entry the victim holds, so the victim cannot catch up from entries there.
    /// Returns the victim's ends in those partitions (a partition without accounts gets no entries to checkpoint: the
    /// victim catches up there from entries).
    /// </summary>
    private async Task<IReadOnlyDictionary<int, long>> WaitLeadersDeletedPrefixAsync(SiloProcessCluster cluster, string victim, string phase)
    {
        HashSet<int> loaded = [.. Enumerable.Range(0, Accounts).Select(i => PartitionMap.GetPartition(
            new GrainId(GrainTypeNames.ForClass(typeof(BankAccountGrain)), Writers.Key(i)), cluster.PartitionCount))];
        IReadOnlyDictionary<int, long> ends = ReplicaEntryLogsOnDisk.EndLsns(cluster.DataDirectoryOf(victim))
            .Where(e => loaded.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value);
        Assert.True(ends.Count > 0, $"{phase}: no replica entry log of the partitions {string.Join(",", loaded)} in {victim}'s data directory {cluster.DataDirectoryOf(victim)}");
        var since = System.Diagnostics.Stopwatch.StartNew();
        string state = "nothing read yet";
        Task waiting = Eventually.TrueAsync(async () =>
        {
            ClusterSnapshot table = await cluster.ReadAsync();
            var scraped = new Dictionary<string, SiloMetrics>(StringComparer.Ordinal);
            var starts = new List<string>();
            foreach ((int partition, long end) in ends)
            {
                if (table.Partitions[partition].Owner is not { } leader || leader == victim || !cluster[leader].IsRunning)
                {
                    state = $"partition {partition} has no running leader besides {victim}";
                    return false;
                }

                if (!scraped.TryGetValue(leader, out SiloMetrics? metrics))
                {
                    scraped[leader] = metrics = await SiloMetrics.ReadAsync(cluster[leader]);
                }

                starts.Add($"p{partition} on {leader} from {metrics.Of(SiloMetrics.LogStartLsn, partition)} (victim's end {end})");
            }

            state = string.Join(", ", starts);
            return ends.All(e => scraped[table.Partitions[e.Key].Owner!].Of(SiloMetrics.LogStartLsn, e.Key) > e.Value);
        }, Limit, $"{phase}: every partition's leader deleting its entry log past what {victim} holds");
        try
        {
            await waiting;
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message} Last seen: {state}.", timeout);
        }

        Progress($"{phase}: the leaders' entry logs start past {victim}'s ends within {since.Elapsed.TotalMilliseconds:N0} ms: {state}");
        return ends;
    }

    /// <summary>
    /// After <paramref name="victim"/> rejoined every in-sync set: each of its replicas installed a leader's checkpoint
    /// (its counter, read from its /metrics) and its log now starts past what it held when it was killed. Returns a line
    /// describing the transfers.
    /// </summary>
    private static async Task<string> AssertCheckpointsInstalledAsync(SiloProcessCluster cluster, string victim, IReadOnlyDictionary<int, long> endAtKill, string phase)
    {
        SiloMetrics metrics = await SiloMetrics.ReadAsync(cluster[victim]);
        foreach ((int partition, long end) in endAtKill)
        {
            long installed = metrics.Of(SiloMetrics.CheckpointsInstalled, partition);
            long start = metrics.Of(SiloMetrics.LogStartLsn, partition);
            Assert.True(installed >= 1 && start > end,
                $"{phase}: {victim}'s replica of partition {partition} installed {installed} checkpoints, its log starts at {start} (it held entries up to {end} when killed)");
        }

        // The victim's replicas keep their entries in its journal (the default layout), whose group commit is exported.
        Assert.True(metrics.WithoutPartition(SiloMetrics.JournalFsyncs) > 0 && metrics.WithoutPartition(SiloMetrics.JournalRecords) > 0,
            $"{phase}: {victim} reports journal fsyncs {metrics.WithoutPartition(SiloMetrics.JournalFsyncs)?.ToString() ?? "none"} and records {metrics.WithoutPartition(SiloMetrics.JournalRecords)?.ToString() ?? "none"}");

        // And the leaders sent them (chunks counted by the sending replicas).
        long chunksSent = 0;
        foreach (string other in new[] { "s0", "s1", "s2" }.Where(s => s != victim && cluster[s].IsRunning))
        {
            chunksSent += (await SiloMetrics.ReadAsync(cluster[other])).PerPartition(SiloMetrics.CheckpointChunksSent).Values.Sum();
        }

        Assert.True(chunksSent > 0, $"{phase}: {victim} installed checkpoints, but the other silos count no checkpoint chunk sent");
        return string.Join(", ", endAtKill.Keys.Order().Select(p =>
            $"p{p}: {metrics.Of(SiloMetrics.CheckpointsInstalled, p)} checkpoint(s) installed, log from {metrics.Of(SiloMetrics.LogStartLsn, p)}"))
            + $"; {chunksSent} checkpoint chunks sent by the others";
    }
}
