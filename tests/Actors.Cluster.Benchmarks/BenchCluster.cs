using System.Diagnostics;
using Actors.Client;
using Actors.ClientDemo.Launching;
using Actors.Cluster.Membership;
using Actors.Cluster.PostgreSql;

namespace Actors.Cluster.Benchmarks;

/// <summary>N silo processes of one cluster (16 partitions, default lease) and one client per gateway.</summary>
internal sealed class BenchCluster(string connectionString, string root, string name, int silos) : IAsyncDisposable
{
    private readonly string _clusterId = $"bench-{name}-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly PostgreSqlClusterStore _store = new(connectionString);

    /// <summary>The silo processes, in <see cref="Names"/> order.</summary>
    public List<SiloProcess> Processes { get; } = [];

    public List<string> Names { get; } = [.. Enumerable.Range(0, silos).Select(i => $"{name}-{i}")];

    public Dictionary<string, IClusterClient> Clients { get; } = [];

    public async Task StartAsync()
    {
        foreach (string silo in Names)
        {
            var launch = new SiloLaunchOptions { DataDirectory = Path.Combine(root, silo), StartTimeout = TimeSpan.FromSeconds(120) }
                .JoinCluster(silo, connectionString, _clusterId, "bench-secret");
            launch.Environment["ACTORS__METRICS__ENABLED"] = "false";
            Processes.Add(await SiloProcess.StartAsync(launch));
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            ClusterSnapshot table = await ReadAsync();
            if (table.Partitions.All(p => p.State == PartitionState.Owned && p.Owner is not null) && Names.All(n => table.Partitions.Any(p => p.Owner == n)))
            {
                break;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"cluster {_clusterId}: partitions not spread over {string.Join(", ", Names)} after 2 minutes");
            }

            await Task.Delay(100);
        }

        for (int i = 0; i < Names.Count; i++)
        {
            IClusterClient client = new ClusterClientBuilder().UseGateway(Processes[i].GatewayEndPoint).Build();
            await client.ConnectAsync();
            Clients[Names[i]] = client;
        }

        Console.WriteLine($"  cluster {_clusterId}: {silos} silo processes up, partitions spread");
    }

    public Task<ClusterSnapshot> ReadAsync() => _store.ReadAsync(_clusterId, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (IClusterClient client in Clients.Values)
        {
            await client.DisposeAsync();
        }

        foreach (SiloProcess process in Processes)
        {
            await process.DisposeAsync();
        }

        await _store.DisposeAsync();
    }
}
