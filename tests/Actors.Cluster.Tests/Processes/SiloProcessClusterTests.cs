using System.Net.Sockets;
using Actors.Client;
using Actors.Cluster.Partitioning;
using Actors.Cluster.PostgreSql;
using Actors.Demo.Grains.Accounts;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Processes;

/// <summary>
/// The silo program in cluster mode as separate processes over a real PostgreSQL 15: SIGKILL of a silo (its partitions
/// fail fast with a typed <see cref="PartitionUnavailableException"/>, then serve everything acknowledged once it
/// restarts on its data directory), bad peers on the silo port, the exit code of a silo declared dead, and a client
/// that learns the gateways from the cluster table and fails over when its gateway silo dies.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloProcessClusterTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Accounts = 24;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SigkilledSilo_ItsPartitionsFailTypedUntilItRestarts_ThenEveryAcknowledgedDepositIsServed()
    {
        await using var cluster = new SiloProcessCluster(server.ConnectionString, output);
        await Task.WhenAll(cluster.StartAsync("s0"), cluster.StartAsync("s1"), cluster.StartAsync("s2"));
        await cluster.SettledAsync("s0", "s1", "s2");
        await using IClusterClient client = await cluster.ConnectAsync("s0");
        for (int i = 0; i < Accounts; i++)
        {
            await client.GetGrain<IBankAccountGrain>(Account(i)).Deposit(i + 1, "before-kill");
        }

        await SendGarbageToSiloPortAsync(cluster, "s1");

        await cluster["s2"].KillAsync();
        await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).FindSilo("s2")!.Status == SiloStatus.Dead, Limit, "s2 declared dead after SIGKILL");
        ClusterSnapshot table = await cluster.ReadAsync();
        int unavailable = 0;
        for (int i = 0; i < Accounts; i++)
        {
            try
            {
                AccountBalance balance = await client.GetGrain<IBankAccountGrain>(Account(i)).GetBalance();
                Assert.Equal(i + 1, balance.Balance);
            }
            catch (PartitionUnavailableException ex)
            {
                unavailable++;
                Assert.Equal("s2", ex.Owner);
                Assert.Equal("s2", table.Partitions[ex.Partition].Owner);
            }
        }

        Assert.InRange(unavailable, 1, Accounts - 1);
        Assert.True(table.Partitions.Where(p => p.Owner == "s2").All(p => p.State == PartitionState.Owned), "a dead owner's partitions are never moved away from its volume");

        await cluster["s2"].DisposeAsync();
        await cluster.StartAsync("s2");
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                for (int i = 0; i < Accounts; i++)
                {
                    Assert.Equal(i + 1, (await client.GetGrain<IBankAccountGrain>(Account(i)).GetBalance()).Balance);
                }

                return true;
            }
            catch (PartitionUnavailableException)
            {
                return false;
            }
        }, Limit, "every account served with its deposit after s2 restarted on its data directory");
        Assert.Equal(SiloStatus.Active, (await cluster.ReadAsync()).FindSilo("s2")!.Status);
    }

    [Fact]
    public async Task MembershipRowEditedToDead_SiloProcessStopsServingAndExitsWithCode3()
    {
        await using var cluster = new SiloProcessCluster(server.ConnectionString, output);
        await cluster.StartAsync("only");
        await cluster.SettledAsync("only");
        SiloRecord row = (await cluster.ReadAsync()).FindSilo("only")!;

        Assert.True(await cluster.Store.TryApplyAsync(cluster.ClusterId, new ClusterUpdate().Write(row with { Status = SiloStatus.Dead }, row.Version), CancellationToken.None));

        int exitCode = await cluster["only"].WaitForExitAsync(Limit);
        Assert.Equal(3, exitCode);
        Assert.Contains(cluster["only"].LastLines, l => l.Contains("declared it dead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientWithTheGatewayListFromTheClusterTable_ItsGatewaySiloKilled_FailsOverToAnotherSilo()
    {
        await using var cluster = new SiloProcessCluster(server.ConnectionString, output);
        await Task.WhenAll(cluster.StartAsync("g0"), cluster.StartAsync("g1"));
        await cluster.SettledAsync("g0", "g1");
        ClusterSnapshot table = await cluster.ReadAsync();
        // An account that g1 serves, so it stays available when g0 dies; the client is given no gateway address at all.
        string key = Enumerable.Range(0, 1000).Select(i => $"failover-{i}").First(k => OwnerOf(k, table) == "g1");
        await using IClusterClient client = new ClusterClientBuilder().UsePostgreSqlGatewayList(server.ConnectionString, cluster.ClusterId).Build();
        await client.ConnectAsync().WaitAsync(Limit);
        IBankAccountGrain account = client.GetGrain<IBankAccountGrain>(key);
        await account.Deposit(5, "before");

        // The list is ordered by silo name, so the client's gateway is g0.
        await cluster["g0"].KillAsync();
        decimal balance = 0;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                balance = (await account.Deposit(1, "after")).Balance;
                return true;
            }
            catch (Exception ex) when (ex is GatewayConnectionLostException or GatewayUnavailableException or TimeoutException or SiloUnavailableException)
            {
                output.WriteLine($"while failing over: {ex.GetType().Name}: {ex.Message}");
                return false;
            }
        }, Limit, "a call through another gateway after the client's gateway silo was killed");

        Assert.Equal(6, balance);
    }

    private static string Account(int i) => $"acct-{i}";

    /// <summary>The owner of an account's partition, from its canonical id (the class's grain type, as the silo routes it).</summary>
    private static string? OwnerOf(string key, ClusterSnapshot table)
        => table.Partitions[PartitionMap.GetPartition(new GrainId(GrainTypeNames.ForClass(typeof(BankAccountGrain)), key), table.PartitionCount)].Owner;

    /// <summary>
    /// Bad peers on <paramref name="name"/>'s silo port: a stream of garbage, a frame length far past the limit, and a
    /// connection that stops mid-handshake. Each is dropped; the silo keeps serving (checked by the caller's later calls
    /// forwarded to it).
    /// </summary>
    private static async Task SendGarbageToSiloPortAsync(SiloProcessCluster cluster, string name)
    {
        string endpoint = (await cluster.ReadAsync()).FindSilo(name)!.SiloEndpoint;
        int colon = endpoint.LastIndexOf(':');
        string host = endpoint[..colon];
        int port = int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        byte[][] payloads =
        [
            [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))],
            [0xFF, 0xFF, 0xFF, 0x7F, 0x01],
            [0x00, 0x00],
        ];
        foreach (byte[] payload in payloads)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(host, port);
            NetworkStream stream = socket.GetStream();
            try
            {
                await stream.WriteAsync(payload);
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // The silo may close the connection before everything is written: that is the point.
            }
        }
    }
}
