using Actors.Client;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Support;
using Actors.Demo.Grains.Accounts;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Processes;

/// <summary>Links between the silo processes cut and healed by a fault-injecting TCP proxy (<see cref="SiloLinkProxy"/>).</summary>
public sealed partial class ReplicatedSiloProcessTests
{
    /// <summary>
    /// s2, which leads some partitions and follows the others, is cut from s0 and s1 by the proxy (the cluster store and
    /// the clients still reach every silo) under durable load. Probes deposit on accounts of every partition, through s2's
    /// gateway and through s0's and s1's, and after every acknowledgement read the partition's row: no replica on the far
    /// side of the cut may still be in the in-sync set of the side that acknowledged (a leader cut from its followers
    /// cannot acknowledge, and a follower cut away is dropped through PostgreSQL before the leader acknowledges without
    /// it). Healed, s2's replicas truncate or catch up and every partition is back in sync on all three silos; every
    /// acknowledged deposit is present at the end.
    /// </summary>
    [Fact]
    public async Task LinksCut_SiloIsolatedFromItsPeers_NoAcknowledgementWithoutTheStoreDroppingTheCutReplicas_HealedItRejoins()
    {
        const string Isolated = "s2";
        await using var links = new SiloLinkProxy();
        await using var cluster = await StartAsync(links: links);
        await using IClusterClient connected = await cluster.ConnectAsync("s0", "s1");
        await using IClusterClient isolated = await cluster.ConnectAsync(Isolated);
        await using var writers = new Writers(connected, output);
        await Eventually.TrueAsync(() => writers.Acknowledged >= 200, Limit, "200 deposits acknowledged before the cut");
        ClusterSnapshot before = await cluster.ReadAsync();
        Assert.Contains(before.Partitions, p => p.Owner == Isolated);
        Assert.Contains(before.Partitions, p => p.Owner != Isolated);

        links.Isolate(Isolated, "s0", "s1");
        await using var probes = new CutProbes(cluster, before.PartitionCount, Isolated, output, ("s0s1", connected), ("s2", isolated));
        await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => OneSided(p, Isolated)), Limit,
            $"every partition's in-sync set on one side of the cut around {Isolated} (dropped through the store)");
        ClusterSnapshot during = await cluster.ReadAsync();
        int[] onConnectedSide = [.. during.Partitions.Where(p => p.Owner != Isolated).Select(p => p.Partition)];
        await Eventually.TrueAsync(() => onConnectedSide.All(p => probes.CheckedAcknowledgements(p) >= 3), Limit,
            $"3 probe deposits acknowledged and checked on each partition led on the connected side ({string.Join(",", onConnectedSide)})");
        probes.StopChecking();
        long dropped = links.BytesDropped;
        links.HealAll();
        output.WriteLine($"cut around {Isolated}: {dropped:N0} bytes dropped, {links.ConnectionsHeld} connections held; during the cut: "
            + string.Join("; ", during.Partitions.Select(p => $"p{p.Partition} led by {p.Owner} (epoch {before.Partitions[p.Partition].Epoch} -> {p.Epoch}), in sync [{string.Join(",", p.InSync)}]")));
        Assert.True(dropped > 0, "the cut dropped no byte: the silos' links did not cross the proxy");

        await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => p.InSync.Count == 3), Limit,
            $"healed: {Isolated}'s replicas caught up and every partition is in sync on the three silos again");
        long atHeal = writers.Acknowledged;
        await Eventually.TrueAsync(() => writers.Acknowledged >= atHeal + 100, Limit, "100 more deposits acknowledged after the heal");
        await writers.StopAsync();
        await probes.StopAsync();
        output.WriteLine($"{writers.Acknowledged} deposits acknowledged, {writers.Failed} failed; probes: {probes.Summary}; "
            + $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

        Assert.True(probes.Violations.IsEmpty, "acknowledged while a replica across the cut was still in sync: " + string.Join("; ", probes.Violations));
        await writers.VerifyAsync();
        await probes.VerifyAsync(connected);
    }

    /// <summary>
    /// A campaign cycle of <c>FAULTS=cut</c> or <c>FAULTS=oneway</c>: under durable load through the survivors' gateways,
    /// cuts <paramref name="victim"/> from the others (<paramref name="fault"/> <c>CUT</c>: both directions; <c>MUTE</c>:
    /// only what the victim sends, so it hears its peers and nobody hears it; <c>DEAF</c>: only what it receives), waits
    /// until every partition's in-sync set lies on one side of the cut, heals, and waits until every account is served
    /// again and every partition is in sync on all three silos.
    /// </summary>
    private async Task CutCycleAsync(SiloProcessCluster cluster, SiloLinkProxy links, Ledger ledger, int cycle, string fault, string victim, string[] survivors)
    {
        await using (IClusterClient client = await cluster.ConnectAsync(survivors))
        await using (var writers = new Writers(client, output, ledger))
        {
            long atStart = writers.Acknowledged;
            await Eventually.TrueAsync(() => writers.Acknowledged >= atStart + 100, Limit, $"cycle {cycle}: 100 deposits acknowledged before the cut");
            var cut = System.Diagnostics.Stopwatch.StartNew();
            Progress($"(cycle {cycle}: {fault} around {victim} begins at {DateTime.UtcNow:HH:mm:ss.fff})");
            foreach (string survivor in survivors)
            {
                switch (fault)
                {
                    case "MUTE":
                        links.CutOneWay(victim, survivor);
                        break;
                    case "DEAF":
                        links.CutOneWay(survivor, victim);
                        break;
                    default:
                        links.Cut(victim, survivor);
                        break;
                }
            }

            await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => OneSided(p, victim)), Limit,
                $"cycle {cycle}: every partition's in-sync set on one side of the cut around {victim}");
            TimeSpan oneSided = cut.Elapsed;
            ClusterSnapshot during = await cluster.ReadAsync();
            links.HealAll();
            Progress($"(cycle {cycle}: healed at {DateTime.UtcNow:HH:mm:ss.fff})");
            long healed = writers.Mark();
            await Eventually.TrueAsync(() => writers.EveryAccountServedAfter(healed) is not null, Limit, $"cycle {cycle}: every account served again after the heal around {victim}");
            TimeSpan served = writers.EveryAccountServedAfter(healed)!.Value;
            await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => p.InSync.Count == 3), Limit,
                $"cycle {cycle}: {victim}'s replicas back in every partition's in-sync set after the heal");
            await writers.StopAsync();
            Progress($"cycle {cycle}: {fault} around {victim}: in-sync sets one-sided after {oneSided.TotalMilliseconds:N0} ms "
                + $"(partitions kept by {victim} alone: {during.Partitions.Count(p => p.Owner == victim)}, led by the others: {during.Partitions.Count(p => p.Owner != victim)}); "
                + $"every account served {served.TotalMilliseconds:N0} ms after the heal; {writers.Acknowledged} deposits acknowledged, {writers.Failed} failed so far; "
                + $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        }
    }

    /// <summary>Whether the partition's in-sync set lies on one side of the cut around <paramref name="isolated"/>.</summary>
    private static bool OneSided(PartitionRecord partition, string isolated)
        => !partition.InSync.Contains(isolated) || partition.InSync.All(s => s == isolated);

    /// <summary>
    /// One depositor per partition and client (an account that maps to the partition), started after the cut: after each
    /// acknowledged deposit it reads the partition's row and records a violation if the in-sync set still spans the cut.
    /// The deposit's entry was proposed after the cut, so no replica across it can hold it: it was acknowledged without
    /// them, which is allowed only once the store dropped them (and they cannot rejoin before the heal, when checking stops).
    /// </summary>
    private sealed class CutProbes : IAsyncDisposable
    {
        private readonly int _partitionCount;
        private readonly string[] _keys;
        private readonly long[] _acknowledged;
        private readonly long[] _failed;
        private readonly long[] _checked;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _tasks;
        private volatile bool _checking = true;

        public CutProbes(SiloProcessCluster cluster, int partitionCount, string isolated, ITestOutputHelper output, params (string Name, IClusterClient Client)[] clients)
        {
            _partitionCount = partitionCount;
            int loops = partitionCount * clients.Length;
            _keys = [.. Enumerable.Range(0, loops).Select(loop => Enumerable.Range(0, 100_000)
                .Select(i => $"link-probe-{clients[loop / partitionCount].Name}-{loop % partitionCount}-{i}")
                .First(key => PartitionMap.GetPartition(new GrainId(GrainTypeNames.ForClass(typeof(BankAccountGrain)), key), partitionCount) == loop % partitionCount))];
            _acknowledged = new long[loops];
            _failed = new long[loops];
            _checked = new long[partitionCount];
            _tasks = [.. Enumerable.Range(0, loops).Select(loop => Task.Run(async () =>
            {
                int p = loop % partitionCount;
                IBankAccountGrain account = clients[loop / partitionCount].Client.GetGrain<IBankAccountGrain>(_keys[loop]);
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await account.Deposit(1, "probe");
                    }
                    catch (Exception ex)
                    {
                        // Outcome unknown (a call into the cut times out) or refused: not counted as acknowledged.
                        Interlocked.Increment(ref _failed[loop]);
                        output.WriteLine($"probe deposit on {_keys[loop]} (partition {p}) failed: {ex.GetType().Name}: {ex.Message}");
                        await Task.Delay(50);
                        continue;
                    }

                    Interlocked.Increment(ref _acknowledged[loop]);
                    PartitionRecord row = (await cluster.ReadAsync()).Partitions[p];
                    if (_checking)
                    {
                        // Read before checking stopped, hence before the heal: no replica across the cut can have rejoined.
                        Interlocked.Increment(ref _checked[p]);
                        if (!OneSided(row, isolated))
                        {
                            Violations.Add($"{_keys[loop]}: a deposit was acknowledged, then the row read {row} in sync [{string.Join(",", row.InSync)}]");
                        }
                    }
                }
            }))];
        }

        public System.Collections.Concurrent.ConcurrentBag<string> Violations { get; } = [];

        public string Summary => $"{_acknowledged.Sum()} acknowledged ({_checked.Sum()} checked during the cut), {_failed.Sum()} failed";

        public long CheckedAcknowledgements(int partition) => Interlocked.Read(ref _checked[partition]);

        public void StopChecking() => _checking = false;

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_tasks);
        }

        /// <summary>Every probe account holds every acknowledged deposit, and at most the failed ones besides.</summary>
        public async Task VerifyAsync(IClusterClient client)
        {
            for (int loop = 0; loop < _keys.Length; loop++)
            {
                decimal balance = (await client.GetGrain<IBankAccountGrain>(_keys[loop]).GetBalance()).Balance;
                Assert.True(balance >= _acknowledged[loop] && balance <= _acknowledged[loop] + _failed[loop],
                    $"{_keys[loop]} (partition {loop % _partitionCount}): balance {balance}, {_acknowledged[loop]} deposits acknowledged, {_failed[loop]} failed");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }
}
