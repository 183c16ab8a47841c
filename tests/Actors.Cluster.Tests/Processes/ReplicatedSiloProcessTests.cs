using System.Diagnostics;
using Actors.Client;
using Actors.Demo.Grains.Accounts;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Processes;

/// <summary>
/// Three silo processes of the silo program over a real PostgreSQL 15 with replication factor 3, under durable load: a
/// partition owner killed with SIGKILL, or paused with SIGSTOP until an in-sync replica replaced it and then resumed (a
/// zombie leader), never costs an acknowledged deposit, and the partitions serve again on the new owner.
/// </summary>
[Collection(ReplicatedProcessesCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class ReplicatedSiloProcessTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Accounts = 16;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SigkilledOwner_ReplicationFactorThree_InSyncReplicaServesEveryAcknowledgedDeposit()
    {
        await using var cluster = await StartAsync();
        await using IClusterClient client = await cluster.ConnectAsync("s0");
        await using var writers = new Writers(client, output);

        await RunFaultAsync(cluster, writers, "SIGKILL", () => cluster["s2"].KillAsync(), resume: null);

        await writers.VerifyAsync();
    }

    [Fact]
    public async Task SigstoppedOwner_ResumedAfterItsReplacement_AcknowledgesNothingThatIsLost()
    {
        await using var cluster = await StartAsync();
        await using IClusterClient client = await cluster.ConnectAsync("s0");
        await using var writers = new Writers(client, output);

        await RunFaultAsync(cluster, writers, "SIGSTOP", () => SignalAsync(cluster["s2"].ProcessId, "STOP"), resume: () => SignalAsync(cluster["s2"].ProcessId, "CONT"));

        await writers.VerifyAsync();
    }

    /// <summary>
    /// The CI campaign (5 cycles, replication timeouts 2 s; <c>ACTORS_REPLICATION_CAMPAIGN_CYCLES</c> for more and
    /// <c>ACTORS_REPLICATION_CAMPAIGN_TIMEOUTS=default</c> for the silo's default timeouts, <c>ACTORS_REPLICATION_CAMPAIGN_CHECKPOINTS=small</c>
    /// for <see cref="SmallCheckpoints"/>, with which a SIGKILL cycle keeps the load on until the victim's new leaders deleted
    /// their entry logs past what it holds and checks that it rejoined by taking their checkpoints; scripts/replication-campaign.sh): each
    /// cycle SIGKILLs the silo leading the most partitions under durable load, measures the time from the SIGKILL until every
    /// account has a deposit acknowledged again, restarts the killed silo on its disk and waits until its replicas caught up
    /// and are back in every in-sync set (a follower restarted: catch-up and re-add). After the last cycle every account
    /// holds every acknowledged deposit.
    /// </summary>
    [Fact]
    public async Task SigkilledLeaders_EveryCycleRestartsTheVictim_NoAcknowledgedDepositLostAndReplicasRejoin()
    {
        int cycles = int.TryParse(System.Environment.GetEnvironmentVariable("ACTORS_REPLICATION_CAMPAIGN_CYCLES"), out int configured) && configured > 0 ? configured : 5;
        bool defaultTimeouts = System.Environment.GetEnvironmentVariable("ACTORS_REPLICATION_CAMPAIGN_TIMEOUTS") == "default";
        string? faults = System.Environment.GetEnvironmentVariable("ACTORS_REPLICATION_CAMPAIGN_FAULTS");
        bool mixed = faults == "mixed";
        bool cuts = faults == "cut";
        bool oneWay = faults == "oneway";
        bool checkpoints = System.Environment.GetEnvironmentVariable("ACTORS_REPLICATION_CAMPAIGN_CHECKPOINTS") == "small";
        string[] silos = ["s0", "s1", "s2"];
        await using SiloLinkProxy? links = cuts || oneWay ? new SiloLinkProxy() : null;
        await using var cluster = await StartAsync(defaultTimeouts, links, smallCheckpoints: checkpoints);
        Progress($"campaign: {cycles} cycles, {(mixed ? "SIGKILL and SIGSTOP/SIGCONT alternating" : cuts ? "SIGKILL and link cuts alternating" : oneWay ? "SIGKILL and one-way link cuts alternating (the victim muted, then deafened)" : "SIGKILL")}, replication timeouts {(defaultTimeouts ? "the silo defaults" : "2 s (CI)")}"
            + (checkpoints ? $", small checkpoints (every {SmallCheckpoints.EveryEntries} entries, {SmallCheckpoints.EntryLogSegmentBytes} B entry-log segments; each SIGKILL victim returns after its leaders deleted its prefix)" : ""));
        var ledger = new Ledger();
        var failovers = new List<TimeSpan>();
        for (int cycle = 1; cycle <= cycles; cycle++)
        {
            string fault = cycle % 2 == 1 ? "SIGKILL" : mixed ? "SIGSTOP" : cuts ? "CUT" : oneWay ? (cycle % 4 == 2 ? "MUTE" : "DEAF") : "SIGKILL";
            ClusterSnapshot before = await cluster.ReadAsync();
            string victim = silos.OrderByDescending(s => before.Partitions.Count(p => p.Owner == s)).First();
            int[] partitions = [.. before.Partitions.Where(p => p.Owner == victim).Select(p => p.Partition)];
            string[] survivors = [.. silos.Where(s => s != victim)];
            if (fault is "CUT" or "MUTE" or "DEAF")
            {
                await CutCycleAsync(cluster, links!, ledger, cycle, fault, victim, survivors);
                continue;
            }

            IReadOnlyDictionary<int, long>? endAtKill = null;

            await using (IClusterClient client = await cluster.ConnectAsync(survivors))
            await using (var writers = new Writers(client, output, ledger))
            {
                long atStart = writers.Acknowledged;
                await Eventually.TrueAsync(() => writers.Acknowledged >= atStart + 100, Limit, $"cycle {cycle}: 100 deposits acknowledged before the {fault}");
                if (fault == "SIGKILL")
                {
                    await cluster[victim].KillAsync();
                }
                else
                {
                    await SignalAsync(cluster[victim].ProcessId, "STOP");
                }

                long mark = writers.Mark();
                await Eventually.TrueAsync(async () =>
                {
                    ClusterSnapshot table = await cluster.ReadAsync();
                    return partitions.All(p => table.Partitions[p].Owner is { } owner && owner != victim && table.Partitions[p].Epoch > before.Partitions[p].Epoch);
                }, Limit, $"cycle {cycle}: {victim}'s partitions ({string.Join(",", partitions)}) led by an in-sync replica under a later epoch");
                TimeSpan takenOverBy = Stopwatch.GetElapsedTime(mark);
                if (fault == "SIGSTOP")
                {
                    // Replaced, the zombie resumes: it must acknowledge nothing that is lost (checked by the ledger at the end).
                    await SignalAsync(cluster[victim].ProcessId, "CONT");
                }

                await Eventually.TrueAsync(() => writers.EveryAccountServedAfter(mark) is not null, Limit,
                    $"cycle {cycle}: every account served again after the {fault} of {victim} (leader of partitions {string.Join(",", partitions)})");
                TimeSpan failover = writers.EveryAccountServedAfter(mark)!.Value;
                failovers.Add(failover);
                long atTakeover = writers.Acknowledged;
                await Eventually.TrueAsync(() => writers.Acknowledged >= atTakeover + 100, Limit, $"cycle {cycle}: 100 more deposits acknowledged after the takeover");
                if (checkpoints && fault == "SIGKILL")
                {
                    // Under load, until the victim can only return by taking its new leaders' checkpoints.
                    endAtKill = await WaitLeadersDeletedPrefixAsync(cluster, victim, $"cycle {cycle}");
                }

                await writers.StopAsync();
                Progress($"cycle {cycle}: {fault} of {victim} (leader of {partitions.Length} partitions) to every account served again: "
                    + $"{failover.TotalMilliseconds:N0} ms (the rows named the new leaders within {takenOverBy.TotalMilliseconds:N0} ms); {writers.Acknowledged} deposits acknowledged, {writers.Failed} failed so far; "
                    + $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            }

            if (fault == "SIGSTOP")
            {
                // A resumed silo rejoins as a follower, unless its cluster declared it dead while it was stopped (then it stops itself).
                await Eventually.TrueAsync(async () => !cluster[victim].IsRunning || (await cluster.ReadAsync()).Partitions.All(p => p.InSync.Count == 3), Limit,
                    $"cycle {cycle}: the resumed {victim} back in every partition's in-sync set, or stopped");
            }

            if (!cluster[victim].IsRunning)
            {
                await cluster.StartAsync(victim);
            }

            await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => p.InSync.Count == 3), Limit,
                $"cycle {cycle}: {victim} caught up and is back in every partition's in-sync set");
            if (endAtKill is not null)
            {
                Progress($"cycle {cycle}: {victim} rejoined by checkpoint transfer: {await AssertCheckpointsInstalledAsync(cluster, victim, endAtKill, $"cycle {cycle}")}");
            }
        }

        await using (IClusterClient client = await cluster.ConnectAsync(silos))
        {
            await ledger.VerifyAsync(client);
        }

        var sorted = failovers.Order().ToArray();
        Progress($"failover (fault to every account served) over {failovers.Count} SIGKILL/SIGSTOP cycles: p50 {sorted[sorted.Length / 2].TotalMilliseconds:N0} ms, "
            + $"p99 {sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)].TotalMilliseconds:N0} ms, max {sorted[^1].TotalMilliseconds:N0} ms; "
            + $"all: {string.Join(", ", failovers.Select(f => f.TotalMilliseconds.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    /// <summary>
    /// A campaign line: to the test output, and appended at once to <c>ACTORS_REPLICATION_CAMPAIGN_PROGRESS</c> when set
    /// (the test output appears only when the test ends; scripts/replication-campaign.sh follows the file meanwhile).
    /// </summary>
    private void Progress(string line)
    {
        output.WriteLine(line);
        if (System.Environment.GetEnvironmentVariable("ACTORS_REPLICATION_CAMPAIGN_PROGRESS") is { Length: > 0 } path)
        {
            File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss} {line}{System.Environment.NewLine}");
        }
    }

    /// <summary>Starts s0, s1 and s2 with replication factor 3 and waits until every partition is in sync on all three.</summary>
    /// <param name="defaultTimeouts">The silos' default replication timeout instead of 2 s.</param>
    /// <param name="links">Proxies between the silos (link-cut tests).</param>
    /// <param name="leaseDuration">The silo lease, when not <see cref="SiloProcessCluster.DefaultLeaseDuration"/>.</param>
    /// <param name="smallCheckpoints">The small checkpoint thresholds (<see cref="SmallCheckpoints"/>) and the silos' metrics endpoints, to observe them.</param>
    /// <param name="partitionCount">The cluster's partitions (8 unless set).</param>
    private async Task<SiloProcessCluster> StartAsync(bool defaultTimeouts = false, SiloLinkProxy? links = null, TimeSpan? leaseDuration = null,
        bool smallCheckpoints = false, int partitionCount = 8)
    {
        var cluster = new SiloProcessCluster(server.ConnectionString, output)
        {
            ReplicationFactor = 3,
            ReplicationTimeout = defaultTimeouts ? null : TimeSpan.FromSeconds(2),
            Links = links,
            LeaseDuration = leaseDuration ?? SiloProcessCluster.DefaultLeaseDuration,
            SmallCheckpoints = smallCheckpoints,
            Metrics = smallCheckpoints,
            PartitionCount = partitionCount,
        };
        try
        {
            await Task.WhenAll(cluster.StartAsync("s0"), cluster.StartAsync("s1"), cluster.StartAsync("s2"));
            await cluster.SettledAsync("s0", "s1", "s2");
            await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => p.Replicas.Count == 3 && p.InSync.Count == 3), Limit,
                "every partition replicated on the three silos, all in sync");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Under load: the fault on s2 (owner of some partitions), their takeover by s0 or s1, the resume if any, then 200 more acknowledged deposits.</summary>
    private async Task RunFaultAsync(SiloProcessCluster cluster, Writers writers, string fault, Func<Task> inject, Func<Task>? resume)
    {
        await Eventually.TrueAsync(() => writers.Acknowledged >= 200, Limit, "200 deposits acknowledged before the fault");
        ClusterSnapshot before = await cluster.ReadAsync();
        int[] partitions = [.. before.Partitions.Where(p => p.Owner == "s2").Select(p => p.Partition)];
        Assert.NotEmpty(partitions);
        await inject();
        var since = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () =>
        {
            ClusterSnapshot table = await cluster.ReadAsync();
            return partitions.All(p => table.Partitions[p].Owner is "s0" or "s1" && table.Partitions[p].Epoch > before.Partitions[p].Epoch);
        }, Limit, $"s2's partitions ({string.Join(",", partitions)}) taken over by an in-sync replica after {fault}");
        TimeSpan takenOver = since.Elapsed;
        if (resume is not null)
        {
            await resume();
        }

        long atTakeover = writers.Acknowledged;
        await Eventually.TrueAsync(() => writers.Acknowledged >= atTakeover + 200, Limit, $"200 more deposits acknowledged after the takeover ({fault})");
        await writers.StopAsync();
        output.WriteLine($"{fault}: partitions {string.Join(",", partitions)} of s2 taken over {takenOver.TotalMilliseconds:N0} ms after the fault; "
            + $"{writers.Acknowledged} deposits acknowledged, {writers.Failed} failed; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    private static async Task SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {processId}");
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// What every account was sent over the whole test (several clients, one after another): deposits acknowledged, and
    /// deposits that failed (outcome unknown: they may or may not have been applied).
    /// </summary>
    private sealed class Ledger
    {
        public long[] Acknowledged { get; } = new long[Accounts];

        public long[] Failed { get; } = new long[Accounts];

        /// <summary>Every account's balance holds every acknowledged deposit, and at most the failed ones besides.</summary>
        public async Task VerifyAsync(IClusterClient client)
        {
            for (int i = 0; i < Accounts; i++)
            {
                decimal balance = (await client.GetGrain<IBankAccountGrain>(Writers.Key(i)).GetBalance()).Balance;
                Assert.InRange(balance, Acknowledged[i], Acknowledged[i] + Failed[i]);
            }
        }
    }

    /// <summary>One writer per account depositing 1 at a time, counting acknowledged and failed (outcome unknown) deposits.</summary>
    private sealed class Writers : IAsyncDisposable
    {
        private readonly Ledger _ledger;
        private readonly long[] _firstAfterMark = new long[Accounts];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _tasks;
        private long _mark = long.MaxValue;

        public Writers(IClusterClient client, ITestOutputHelper output, Ledger? ledger = null)
        {
            Client = client;
            _ledger = ledger ?? new Ledger();
            _tasks = [.. Enumerable.Range(0, Accounts).Select(i => Task.Run(async () =>
            {
                IBankAccountGrain account = client.GetGrain<IBankAccountGrain>(Key(i));
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await account.Deposit(1, "deposit");
                        Interlocked.Increment(ref _ledger.Acknowledged[i]);
                        long now = Stopwatch.GetTimestamp();
                        if (now > Volatile.Read(ref _mark))
                        {
                            Interlocked.CompareExchange(ref _firstAfterMark[i], now, 0);
                        }
                    }
                    catch (Exception ex)
                    {
                        // Outcome unknown (in flight on the faulty silo) or refused: not counted as acknowledged.
                        Interlocked.Increment(ref _ledger.Failed[i]);
                        output.WriteLine($"deposit on account {i} failed: {ex.GetType().Name}: {ex.Message}");
                        await Task.Delay(50);
                    }
                }
            }))];
        }

        public IClusterClient Client { get; }

        public long Acknowledged => _ledger.Acknowledged.Sum();

        public long Failed => _ledger.Failed.Sum();

        /// <summary>From now on, each account records when its first deposit is acknowledged (call right after a fault).</summary>
        public long Mark()
        {
            long mark = Stopwatch.GetTimestamp();
            Volatile.Write(ref _mark, mark);
            return mark;
        }

        /// <summary>The time from the mark until every account had a deposit acknowledged, or null while some has none yet.</summary>
        public TimeSpan? EveryAccountServedAfter(long mark)
        {
            long last = 0;
            for (int i = 0; i < Accounts; i++)
            {
                long first = Volatile.Read(ref _firstAfterMark[i]);
                if (first == 0)
                {
                    return null;
                }

                last = Math.Max(last, first);
            }

            return Stopwatch.GetElapsedTime(mark, last);
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_tasks);
        }

        public Task VerifyAsync() => _ledger.VerifyAsync(Client);

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        public static string Key(int i) => $"replicated-{i}";
    }
}
