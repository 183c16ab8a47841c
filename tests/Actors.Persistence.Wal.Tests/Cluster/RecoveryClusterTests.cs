using System.Security.Cryptography;
using Actors.Persistence.Wal.Format;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Cluster;

[Trait("Category", "Integration")]
public sealed class RecoveryClusterTests
{
    [Fact]
    public async Task TenThousandGrains_SiloKilled_AllRecovered()
    {
        const int Grains = 10_000;
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.SegmentSizeBytes = 16 * 1024 * 1024);
        await ForAllAsync(Grains, async i =>
        {
            LedgerSnapshot s = await cluster.Client.GetGrain<ILedgerGrain>($"g{i}").CreditMany(1 + (i % 3), i);
            Assert.Equal(1 + (i % 3), s.Version);
        });

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);

        int recovered = 0;
        await ForAllAsync(Grains, async i =>
        {
            LedgerSnapshot s = await cluster.Client.GetGrain<ILedgerGrain>($"g{i}").Get();
            Assert.True(s.Version == 1 + (i % 3) && s.Balance == i * (1 + (i % 3)),
                $"grain g{i}: expected version {1 + (i % 3)} balance {i * (1 + (i % 3))}, got version {s.Version} balance {s.Balance}");
            Interlocked.Increment(ref recovered);
        });
        Assert.Equal(Grains, recovered);
    }

    [Fact]
    public async Task KillSilo_LogIsAbandonedNotClosed_NextOpenSeesUncleanShutdownAndTheData()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        await cluster.Client.GetGrain<ILedgerGrain>("k").CreditMany(3, 2m);

        await cluster.KillSiloAsync(cluster.Primary);

        await using WriteAheadLog log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = WalCluster.LogDirectory(cluster), PreallocateSegments = false, SegmentSizeBytes = 4 * 1024 * 1024, MaxRecordSizeBytes = 256 * 1024 });
        Assert.False(log.GetStatistics().Recovery.CleanShutdown);
        Assert.Equal(3, log.GetStreamInfo("ledger/k").Version);
    }

    [Fact]
    public async Task Activation_UnknownEventType_FailsWithClearMessageAndLeavesLogIntact()
    {
        bool upcast = false;
        await using TestCluster cluster = await WalCluster.StartAsync(o =>
        {
            if (upcast)
            {
                o.Codec = new JsonWalCodec(new JsonWalCodecOptions().AddUpcaster("ledger-frozen", "ledger-note", json =>
                    new System.Text.Json.Nodes.JsonObject { ["text"] = "frozen: " + json["reason"]!.GetValue<string>() }));
            }
        });
        await cluster.Client.GetGrain<ILedgerGrain>("mallory").CreditMany(2, 1m);
        await cluster.StopSiloAsync(cluster.Primary);

        string directory = WalCluster.LogDirectory(cluster);
        await using (WriteAheadLog log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = directory, PreallocateSegments = false, SegmentSizeBytes = 4 * 1024 * 1024, MaxRecordSizeBytes = 256 * 1024 }))
        {
            Assert.True(log.GetStatistics().Recovery.CleanShutdown, "a graceful silo stop must flush and close the log");
            byte[] foreign = new GrainRecord(GrainRecordKind.JournalEvent, "", "ledger-frozen", "{\"reason\":\"audit\"}"u8.ToArray()).ToArray();
            await log.AppendAsync("ledger/mallory", 2, [foreign]);
        }

        Dictionary<string, string> before = HashSegments(directory);
        await cluster.RestartSiloAsync(cluster.Primary);
        var ex = await Assert.ThrowsAsync<GrainStorageLoadException>(() => cluster.Client.GetGrain<ILedgerGrain>("mallory").Get());
        Dictionary<string, string> after = HashSegments(directory);

        Assert.Contains("'ledger/mallory'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("version 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'ledger-frozen'", ex.Message, StringComparison.Ordinal);
        Assert.IsType<UnknownEventTypeException>(ex.InnerException);
        Assert.Equal(before, after);

        // Activation failed again on a second call: nothing was truncated to make it succeed.
        await Assert.ThrowsAsync<GrainStorageLoadException>(() => cluster.Client.GetGrain<ILedgerGrain>("mallory").Get());

        // Teaching the codec the old name (an upcaster) makes the same, untouched log readable.
        upcast = true;
        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot recovered = await cluster.Client.GetGrain<ILedgerGrain>("mallory").Get();
        Assert.Equal((2m, 3, 3L), (recovered.Balance, recovered.Entries, recovered.Version));
    }

    private static Dictionary<string, string> HashSegments(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(f => !Path.GetFileName(f).Equals(WriteAheadLog.LockFileName, StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static async Task ForAllAsync(int count, Func<int, Task> action)
    {
        const int Parallelism = 256;
        using var gate = new SemaphoreSlim(Parallelism);
        var tasks = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            int index = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await action(index);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
    }
}
