using System.Collections.Concurrent;
using Actors.Client;
using Actors.ClientDemo.Launching;
using Actors.Cluster.PostgreSql;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// Real silo processes (silo/Actors.Silo in cluster mode) on loopback, one data directory each under a temp root, their
/// cluster table in the test's PostgreSQL: the silo program exactly as compose or Kubernetes runs it, configured only
/// by <c>ACTORS__...</c> environment variables. Killed and deleted on dispose.
/// </summary>
public sealed class SiloProcessCluster : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SiloProcess> _silos = new(StringComparer.Ordinal);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-cluster-processes-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;
    private readonly ITestOutputHelper _output;

    public SiloProcessCluster(string connectionString, ITestOutputHelper output)
    {
        _connectionString = connectionString;
        _output = output;
        Store = new PostgreSqlClusterStore(connectionString);
    }

    /// <summary>The cluster id (by default unique per instance: tests share one database).</summary>
    public string ClusterId { get; init; } = "processes-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The shared silo-to-silo secret.</summary>
    public string Secret { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The default of <see cref="LeaseDuration"/>: 10 s (long: the silos share two cores with the rest of the suite).</summary>
    public static TimeSpan DefaultLeaseDuration { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The lease every silo uses; <see cref="DefaultLeaseDuration"/> unless set.</summary>
    public TimeSpan LeaseDuration { get; init; } = DefaultLeaseDuration;

    /// <summary>The partition count the cluster is created with.</summary>
    public int PartitionCount { get; init; } = 8;

    /// <summary>The cluster's replication factor (1: unreplicated); above 1 see <see cref="ReplicationTimeout"/>.</summary>
    public int ReplicationFactor { get; init; } = 1;

    /// <summary>
    /// The replicas' leader and follower-lag timeouts when replicated: 2 s by default (the silos share two loaded cores with
    /// the rest of the suite); null keeps the silo's defaults (ReplicaOptions).
    /// </summary>
    public TimeSpan? ReplicationTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When set, every silo-to-silo connection crosses this proxy (each silo listens behind it and advertises the proxy's
    /// port), so the test can cut and heal links between silos; null: silos connect directly.
    /// </summary>
    public SiloLinkProxy? Links { get; init; }

    /// <summary>
    /// True to give every silo the small checkpoint thresholds of <see cref="Support.SmallCheckpoints"/> (replicas checkpoint
    /// and delete their entry logs' prefixes within seconds of load); false keeps the silo's defaults.
    /// </summary>
    public bool SmallCheckpoints { get; init; }

    /// <summary>True to serve each silo's Prometheus endpoint (<see cref="SiloMetrics"/>); off by default (it costs CPU).</summary>
    public bool Metrics { get; init; }

    /// <summary>The cluster table, read directly.</summary>
    public PostgreSqlClusterStore Store { get; }

    public SiloProcess this[string name] => _silos[name];

    /// <summary>Starts (or restarts, on its data directory) silo <paramref name="name"/> and waits until its /health answers 200.</summary>
    public async Task<SiloProcess> StartAsync(string name)
    {
        var launch = new SiloLaunchOptions
        {
            DataDirectory = DataDirectoryOf(name),
            StartTimeout = TimeSpan.FromSeconds(120),
            OutputLine = line => Log($"[{name}] {line}"),
        };
        launch.JoinCluster(name, _connectionString, ClusterId, Secret);
        if (Links is not null)
        {
            launch.Environment["ACTORS__CLUSTER__BINDADDRESS"] = SiloLinkProxy.SiloListenAddress.ToString();
            launch.Environment["ACTORS__CLUSTER__PORT"] = Links.Route(name).ToString(System.Globalization.CultureInfo.InvariantCulture);
            launch.Environment["ACTORS__CLUSTER__ADVERTISEDHOST"] = SiloLinkProxy.ProxyAddress.ToString();
        }

        launch.Environment["ACTORS__CLUSTER__PARTITIONCOUNT"] = PartitionCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        launch.Environment["ACTORS__CLUSTER__LEASEDURATION"] = LeaseDuration.ToString("c");
        launch.Environment["ACTORS__CLUSTER__LEASERENEWPERIOD"] = (LeaseDuration / 6).ToString("c");
        launch.Environment["ACTORS__METRICS__ENABLED"] = Metrics ? "true" : "false";
        launch.Environment["ACTORS__CLUSTER__REPLICATIONFACTOR"] = ReplicationFactor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ReplicationFactor > 1 && ReplicationTimeout is { } timeout)
        {
            launch.Environment["ACTORS__CLUSTER__REPLICATION__FOLLOWERLAGTIMEOUT"] = timeout.ToString("c");
            launch.Environment["ACTORS__CLUSTER__REPLICATION__LEADERTIMEOUT"] = timeout.ToString("c");
        }

        if (SmallCheckpoints)
        {
            foreach ((string key, string value) in Support.SmallCheckpoints.Environment)
            {
                launch.Environment[key] = value;
            }
        }

        return await StartAsync(name, launch);
    }

    /// <summary>
    /// Starts silo <paramref name="name"/> with exactly <paramref name="environment"/> (none of this class's cluster
    /// settings: the caller gives them all, for example a compose service's), on its data directory under the temp root
    /// (<c>ACTORS__DATADIRECTORY</c> is always that directory), and waits until its /health answers 200.
    /// </summary>
    public async Task<SiloProcess> StartWithEnvironmentAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var launch = new SiloLaunchOptions
        {
            DataDirectory = DataDirectoryOf(name),
            StartTimeout = TimeSpan.FromSeconds(120),
            OutputLine = line => Log($"[{name}] {line}"),
        };
        foreach ((string key, string value) in environment)
        {
            launch.Environment[key] = value;
        }

        launch.Environment.Remove("ACTORS__DATADIRECTORY");
        return await StartAsync(name, launch);
    }

    private async Task<SiloProcess> StartAsync(string name, SiloLaunchOptions launch)
    {
        SiloProcess silo = await SiloProcess.StartAsync(launch);
        _silos[name] = silo;
        return silo;
    }

    /// <summary>The data directory of silo <paramref name="name"/> (kept across its restarts).</summary>
    public string DataDirectoryOf(string name) => Path.Combine(_root, name);

    /// <summary>The cluster table now.</summary>
    public Task<ClusterSnapshot> ReadAsync() => Store.ReadAsync(ClusterId, CancellationToken.None);

    /// <summary>Waits until every partition is owned (not moving) by one of <paramref name="owners"/>, balanced within one, so no move is planned.</summary>
    public Task SettledAsync(params string[] owners) => Eventually.TrueAsync(async () =>
    {
        ClusterSnapshot table = await ReadAsync();
        return table.Partitions.Count == PartitionCount
            && table.Partitions.All(p => p.State == PartitionState.Owned && p.Owner is { } owner && owners.Contains(owner))
            && owners.Max(o => table.Partitions.Count(p => p.Owner == o)) - owners.Min(o => table.Partitions.Count(p => p.Owner == o)) <= 1;
    }, TimeSpan.FromSeconds(120), $"every partition owned by one of {string.Join(", ", owners)}, balanced within one (no move planned)");

    /// <summary>A client connected to the gateways of <paramref name="names"/> (it fails over among them).</summary>
    public async Task<IClusterClient> ConnectAsync(params string[] names)
    {
        var builder = new ClusterClientBuilder();
        foreach (string name in names)
        {
            builder.UseGateway(_silos[name].GatewayEndPoint);
        }

        IClusterClient client = builder.Build();
        await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (SiloProcess silo in _silos.Values)
        {
            await silo.DisposeAsync();
        }

        await Store.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// Where every silo's output line is appended as it arrives when <c>ACTORS_SILO_LOG_FILE</c> is set (a campaign tails it
    /// to see a stall while it happens; the test output has the lines only when the test ends).
    /// </summary>
    private static readonly string? LiveLogFile = Environment.GetEnvironmentVariable("ACTORS_SILO_LOG_FILE") is { Length: > 0 } path ? path : null;

    private static readonly Lock LiveLogLock = new();

    private void Log(string line)
    {
        if (LiveLogFile is not null)
        {
            lock (LiveLogLock)
            {
                File.AppendAllText(LiveLogFile, line + Environment.NewLine);
            }
        }

        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test finished; its output helper no longer accepts lines.
        }
    }
}
