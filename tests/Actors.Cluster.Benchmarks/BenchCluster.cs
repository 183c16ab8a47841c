using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Client;
using Actors.ClientDemo.Launching;
using Actors.Cluster.Membership;
using Actors.Cluster.PostgreSql;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// N silo processes of one cluster (16 partitions, default lease, <paramref name="replicationFactor"/>), started once
/// partitions are balanced (no move planned), and one client per gateway.
/// </summary>
internal sealed class BenchCluster(string connectionString, string root, string name, int silos, int replicationFactor = 1) : IAsyncDisposable
{
    private readonly string _clusterId = $"bench-{name}-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly PostgreSqlClusterStore _store = new(connectionString);
    private readonly LineSignal _partitionLines = new();

    /// <summary>The silo processes, in <see cref="Names"/> order.</summary>
    public List<SiloProcess> Processes { get; } = [];

    public List<string> Names { get; } = [.. Enumerable.Range(0, silos).Select(i => $"{name}-{i}")];

    public Dictionary<string, IClusterClient> Clients { get; } = [];

    /// <summary>The replicas' stop lines (event 4901: grain writes, entries, fsyncs, messages), logged by a graceful <see cref="StopAsync"/>.</summary>
    public ConcurrentQueue<string> ReplicaStopLines { get; } = new();

    public async Task StartAsync()
    {
        foreach (string silo in Names)
        {
            var launch = new SiloLaunchOptions { DataDirectory = Path.Combine(root, silo), StartTimeout = TimeSpan.FromSeconds(120) }
                .JoinCluster(silo, connectionString, _clusterId, "bench-secret");
            launch.OutputLine = OnSiloLine;
            launch.Environment["ACTORS__CLUSTER__REPLICATIONFACTOR"] = replicationFactor.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Processes.Add(await SiloProcess.StartAsync(launch));
        }

        // Every change of the partition table a silo makes (claim, grant, move, serve) is followed by a log line naming
        // the partition: the table is read again on each such line, until it is balanced or the deadline passes.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            Task partitionLine = _partitionLines.Next;
            ClusterSnapshot table = await ReadAsync();
            int[] owned = [.. Names.Select(n => table.Partitions.Count(p => p.Owner == n))];
            if (table.Partitions.All(p => p.State == PartitionState.Owned && p.Owner is not null) && owned.Max() - owned.Min() <= 1)
            {
                break;
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(partitionLine, Task.Delay(left)) != partitionLine)
            {
                throw new TimeoutException($"cluster {_clusterId}: partitions not balanced over {string.Join(", ", Names)} after 2 minutes (owned: {string.Join(", ", Names.Select((n, i) => $"{n}={owned[i]}"))})");
            }
        }

        for (int i = 0; i < Names.Count; i++)
        {
            // The phases choose the gateway themselves (the owner's, or one for all to measure forwarding): the client's own
            // routing to partition owners would turn the forwarded phases into direct ones.
            IClusterClient client = new ClusterClientBuilder().UseGateway(Processes[i].GatewayEndPoint).Configure(o => o.RouteToPartitionOwners = false).Build();
            await client.ConnectAsync();
            Clients[Names[i]] = client;
        }

        Console.WriteLine($"  cluster {_clusterId}: {silos} silo processes up, partitions balanced, replication factor {replicationFactor}");
    }

    /// <summary>The silo's <c>actors.cluster.calls.forwarded</c> counter, read from its Prometheus <c>/metrics</c>.</summary>
    public async Task<double> ForwardedCallsAsync(int silo)
    {
        using var http = new HttpClient();
        string text = await http.GetStringAsync(new Uri(Processes[silo].HealthUri, "/metrics"));
        return text.Split('\n')
            .Where(line => line.StartsWith("actors_cluster_calls_forwarded_total", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every sample of the silo's Prometheus <c>/metrics</c>, by series (name and labels).</summary>
    public async Task<Dictionary<string, double>> MetricsAsync(int silo)
    {
        using var http = new HttpClient();
        string text = await http.GetStringAsync(new Uri(Processes[silo].HealthUri, "/metrics"));
        var samples = new Dictionary<string, double>();
        foreach (string line in text.Split('\n'))
        {
            int space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0
                && double.TryParse(line[(space + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value))
            {
                samples[line[..space]] = value;
            }
        }

        return samples;
    }

    /// <summary>Stops every silo gracefully (SIGTERM; each replica logs its counters); false when one had to be killed.</summary>
    public async Task<bool> StopAsync()
    {
        foreach (IClusterClient client in Clients.Values)
        {
            await client.DisposeAsync();
        }

        Clients.Clear();
        bool all = true;
        foreach (SiloProcess process in Processes)
        {
            all &= await process.StopAsync(TimeSpan.FromSeconds(60));
        }

        return all;
    }

    private void OnSiloLine(string line)
    {
        if (line.Contains("stopped: as leader", StringComparison.Ordinal))
        {
            ReplicaStopLines.Enqueue(line);
        }

        if (line.Contains("partition", StringComparison.OrdinalIgnoreCase))
        {
            _partitionLines.Pulse();
        }
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
