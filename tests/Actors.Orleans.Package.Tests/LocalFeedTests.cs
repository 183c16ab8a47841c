using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Actors.Testing;
using Xunit.Abstractions;

namespace Actors.Orleans.Package.Tests;

/// <summary>
/// The user's real path: the packages restored from a local feed into a fresh Orleans application outside the solution
/// (<see cref="LocalFeed"/>), and a <c>[WriteAheadLog]</c> grain whose state survives a restart of its silo, single and
/// replicated.
/// </summary>
public sealed class LocalFeedTests : IClassFixture<LocalFeed>, IDisposable
{
    private readonly LocalFeed _feed;
    private readonly ITestOutputHelper _output;
    private readonly string _data;

    public LocalFeedTests(LocalFeed feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
        _data = Path.Combine(feed.Root, "data-" + Guid.NewGuid().ToString("N"));
        foreach (string timing in feed.Timings)
        {
            output.WriteLine($"fixture (once for all tests): {timing}");
        }
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the fixture's cleanup.
        }
    }

    [Fact]
    [Trait("Category", "Package")]
    public async Task Packages_RestoredFromLocalFeedIntoFreshApp_GrainStateSurvivesSiloRestart()
    {
        string first = await RunAppAsync("code", _data, Port(), Port(), "3");
        Assert.Contains("visits=3", first, StringComparison.Ordinal);
        string second = await RunAppAsync("code", _data, Port(), Port(), "1");
        Assert.Contains("visits=4", second, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Package")]
    public async Task ClusteringPackage_ReplicationFromAppsettingsAlone_GrainStateSurvivesSiloRestart()
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            string connectionString = await postgres.CreateDatabaseAsync("SELECT 1");
            string first = await RunAppAsync("config", WriteAppsettings(connectionString), "2");
            Assert.Contains("visits=2", first, StringComparison.Ordinal);
            string second = await RunAppAsync("config", WriteAppsettings(connectionString), "1");
            Assert.Contains("visits=3", second, StringComparison.Ordinal);

            // Replication came from the appsettings alone: the cluster's row in PostgreSQL has the configured partition
            // count, and the log directory joined the cluster as a replica.
            await using (var source = Npgsql.NpgsqlDataSource.Create(connectionString))
            await using (Npgsql.NpgsqlCommand query = source.CreateCommand("SELECT partition_count FROM actors_orleans_clusters WHERE cluster_id = 'package-test'"))
            {
                Assert.Equal(4, await query.ExecuteScalarAsync());
            }

            string identity = Path.Combine(_data, "cluster-replica");
            Assert.True(File.Exists(identity), $"the replicated silo wrote no {identity}");
            Assert.Contains("cluster=package-test", await File.ReadAllTextAsync(identity), StringComparison.Ordinal);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    /// <summary>An appsettings file that alone makes the silo replicated (factor 1), as docs/getting-started.md shows it.</summary>
    private string WriteAppsettings(string connectionString)
    {
        var settings = new
        {
            Orleans = new
            {
                ClusterId = "package-test",
                ServiceId = "package-test",
                Clustering = new { ProviderType = "Development" },
                Endpoints = new { SiloPort = int.Parse(Port(), CultureInfo.InvariantCulture), GatewayPort = int.Parse(Port(), CultureInfo.InvariantCulture) },
                GrainStorage = new { Default = new { ProviderType = "ReplicatedWriteAheadLog" } },
            },
            WriteAheadLog = new
            {
                Directory = _data,
                Replication = new { ConnectionString = connectionString, ReplicationFactor = 1, PartitionCount = 4 },
            },
        };
        string path = Path.Combine(_feed.Root, $"appsettings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(settings));
        return path;
    }

    private async Task<string> RunAppAsync(params string[] arguments)
    {
        (string text, TimeSpan elapsed) = await Command.RunAsync("dotnet", [_feed.Dll, .. arguments], _feed.App);
        _output.WriteLine($"{elapsed.TotalSeconds:F1} s: App {string.Join(' ', arguments)}");
        return text;
    }

    private static string Port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
