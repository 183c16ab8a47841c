using System.Diagnostics;
using Actors.Client;
using Actors.Cluster.Membership;
using Actors.Cluster.Tests.Support;
using Actors.Demo.Grains.Accounts;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Processes;

/// <summary>
/// Three silo processes of the silo program over a real PostgreSQL 15 with replication factor 3, under durable load: a
/// partition owner killed with SIGKILL, or paused with SIGSTOP until an in-sync replica replaced it and then resumed (a
/// zombie leader), never costs an acknowledged deposit, and the partitions serve again on the new owner.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReplicatedSiloProcessTests(PostgresServer server, ITestOutputHelper output)
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

    private async Task<SiloProcessCluster> StartAsync()
    {
        var cluster = new SiloProcessCluster(server.ConnectionString, output) { ReplicationFactor = 3 };
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

    /// <summary>One writer per account depositing 1 at a time, counting acknowledged and failed (outcome unknown) deposits.</summary>
    private sealed class Writers : IAsyncDisposable
    {
        private readonly IClusterClient _client;
        private readonly long[] _acknowledged = new long[Accounts];
        private readonly long[] _failed = new long[Accounts];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _tasks;

        public Writers(IClusterClient client, ITestOutputHelper output)
        {
            _client = client;
            _tasks = [.. Enumerable.Range(0, Accounts).Select(i => Task.Run(async () =>
            {
                IBankAccountGrain account = client.GetGrain<IBankAccountGrain>(Key(i));
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await account.Deposit(1, "deposit");
                        Interlocked.Increment(ref _acknowledged[i]);
                    }
                    catch (Exception ex)
                    {
                        // Outcome unknown (in flight on the faulty silo) or refused: not counted as acknowledged.
                        Interlocked.Increment(ref _failed[i]);
                        output.WriteLine($"deposit on account {i} failed: {ex.GetType().Name}: {ex.Message}");
                        await Task.Delay(50);
                    }
                }
            }))];
        }

        public long Acknowledged => _acknowledged.Sum();

        public long Failed => _failed.Sum();

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_tasks);
        }

        /// <summary>Every account's balance holds every acknowledged deposit, and at most the failed ones besides.</summary>
        public async Task VerifyAsync()
        {
            for (int i = 0; i < Accounts; i++)
            {
                decimal balance = (await _client.GetGrain<IBankAccountGrain>(Key(i)).GetBalance()).Balance;
                Assert.InRange(balance, _acknowledged[i], _acknowledged[i] + _failed[i]);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        private static string Key(int i) => $"replicated-{i}";
    }
}
