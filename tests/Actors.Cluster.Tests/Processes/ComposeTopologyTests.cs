using System.Diagnostics;
using System.Globalization;
using System.Text;
using Actors.ClientDemo.Launching;
using Npgsql;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Processes;

/// <summary>
/// The compose-equivalent check that every test run (so CI) makes: <c>docker-compose.yml</c>'s topology as processes on
/// loopback. PostgreSQL with the postgres service's user, password and database; the silo program once per silo service
/// with exactly the environment its container gets (see <see cref="ComposeFile"/>), except what a single host forces:
/// the ports (ephemeral), the bind addresses and host names (loopback) and the data directory (a temp directory per
/// silo instead of its volume); then the demo program with the demo service's environment, its gateways pointed at the
/// silos' loopback gateways. The demo's workload must verify. A change to the compose file's environment that stops the
/// cluster from forming or serving fails here. <c>scripts/check-compose-cluster.sh</c> (root, by hand) goes further:
/// network namespaces with the compose host names, the compose health check, a graceful stop and a restart.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ComposeTopologyTests(PostgresServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan DemoLimit = TimeSpan.FromMinutes(5);

    /// <summary>The variables a single host forces: set whatever the compose file says (a port or address per container there).</summary>
    private static readonly Dictionary<string, string> Remapped = new(StringComparer.Ordinal)
    {
        ["ACTORS__GATEWAY__BINDADDRESS"] = "127.0.0.1",
        ["ACTORS__GATEWAY__PORT"] = "0",
        ["ACTORS__HEALTH__BINDADDRESS"] = "127.0.0.1",
        ["ACTORS__HEALTH__PORT"] = "0",
        ["ACTORS__CLUSTER__BINDADDRESS"] = "127.0.0.1",
        ["ACTORS__CLUSTER__PORT"] = "0",
    };

    [Fact]
    public async Task DockerComposeYml_SilosAsProcessesWithTheirComposeEnvironment_DemoServiceWorkloadVerifies()
    {
        ComposeFile compose = ComposeFile.Load();
        IReadOnlyList<string> silos = compose.SiloServices;
        Assert.True(silos.Count == 3, $"{compose.FileName}: expected three services building {ComposeFile.SiloDockerfile}, found [{string.Join(", ", silos)}]");
        Assert.Contains("postgres", compose.ServiceNames);
        Assert.Contains("demo", compose.ServiceNames);

        // PostgreSQL as the postgres service sets it up.
        IReadOnlyDictionary<string, string> postgres = compose.EnvironmentOf("postgres");
        string pgUser = Required(postgres, "POSTGRES_USER", "postgres");
        string pgPassword = Required(postgres, "POSTGRES_PASSWORD", "postgres");
        string pgDatabase = Required(postgres, "POSTGRES_DB", "postgres");
        string database = await server.CreateOwnedDatabaseAsync(pgUser, pgPassword, pgDatabase);
        var serverAddress = new NpgsqlConnectionStringBuilder(database);

        var environments = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (string silo in silos)
        {
            IReadOnlyDictionary<string, string> container = compose.ContainerEnvironmentOf(silo);
            var environment = new Dictionary<string, string>(container, StringComparer.Ordinal);
            foreach ((string key, string value) in Remapped)
            {
                environment[key] = value;
            }

            // The volume at ACTORS__DATADIRECTORY: a temp directory per silo (SiloProcessCluster sets it).
            Assert.True(environment.Remove("ACTORS__DATADIRECTORY"), $"{silo}: no ACTORS__DATADIRECTORY (its volume's mount point)");

            // The connection string: only the host (the postgres service) and port remapped to the test's server.
            var connection = new NpgsqlConnectionStringBuilder(Required(container, "ACTORS__CLUSTER__CONNECTIONSTRING", silo));
            Assert.True(connection.Host == "postgres" && connection.Port == 5432, $"{silo}: the connection string must name the postgres service on 5432, names {connection.Host}:{connection.Port}");
            // The test server trusts every local user, so a password that differs from the postgres service's would pass
            // here and fail in compose: checked statically.
            Assert.True(connection.Username == pgUser && connection.Password == pgPassword && connection.Database == pgDatabase,
                $"{silo}: the connection string's user, password or database ({connection.Username}, {connection.Database}) differ from the postgres service's ({pgUser}, {pgDatabase})");
            connection.Host = serverAddress.Host;
            connection.Port = serverAddress.Port;
            environment["ACTORS__CLUSTER__CONNECTIONSTRING"] = connection.ConnectionString;
            environments[silo] = environment;
            output.WriteLine($"{silo}: {string.Join(" ", environment.Where(e => !e.Key.Contains("SECRET", StringComparison.Ordinal) && !e.Key.Contains("CONNECTIONSTRING", StringComparison.Ordinal)).Select(e => $"{e.Key}={e.Value}"))}");
        }

        string clusterId = Required(environments[silos[0]], "ACTORS__CLUSTER__CLUSTERID", silos[0]);
        int partitionCount = environments[silos[0]].TryGetValue("ACTORS__CLUSTER__PARTITIONCOUNT", out string? count)
            ? int.Parse(count, CultureInfo.InvariantCulture)
            : ClusterOptions.DefaultPartitionCount;
        await using var cluster = new SiloProcessCluster(database, output) { ClusterId = clusterId, PartitionCount = partitionCount };
        await Task.WhenAll(silos.Select(s => cluster.StartWithEnvironmentAsync(s, environments[s])));
        string[] names = [.. silos.Select(s => Required(environments[s], "ACTORS__SILONAME", s))];
        ClusterSnapshot joined = await cluster.ReadAsync();
        Assert.True(names.All(n => joined.FindSilo(n) is { Status: SiloStatus.Active }), $"every silo Active in cluster '{clusterId}': {string.Join(", ", joined.Silos.Select(s => $"{s.Name}={s.Status}"))}");
        await cluster.SettledAsync(names);

        // The demo service: its environment, its gateways (service:port) pointed at the silos' loopback gateways.
        var demo = new Dictionary<string, string>(compose.EnvironmentOf("demo"), StringComparer.Ordinal);
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in demo.Keys.Where(k => k.StartsWith("ACTORS__CLIENT__GATEWAYS__", StringComparison.Ordinal)).ToArray())
        {
            string[] hostPort = demo[key].Split(':');
            Assert.True(hostPort.Length == 2 && silos.Contains(hostPort[0]), $"demo {key}={demo[key]} does not name a silo service");
            string siloPort = Required(compose.ContainerEnvironmentOf(hostPort[0]), "ACTORS__GATEWAY__PORT", hostPort[0]);
            Assert.True(hostPort[1] == siloPort, $"demo {key}={demo[key]}: {hostPort[0]}'s gateway listens on {siloPort}");
            demo[key] = cluster[hostPort[0]].GatewayEndPoint.ToString();
            served.Add(hostPort[0]);
        }

        Assert.True(served.SetEquals(silos), $"the demo's gateways [{string.Join(", ", served)}] are not every silo's [{string.Join(", ", silos)}]");
        (int exitCode, string demoOutput) = await RunDemoAsync(demo, compose.CommandOf("demo"));
        output.WriteLine(demoOutput);
        Assert.True(exitCode == 0 && demoOutput.Contains("VERDICT: PASS", StringComparison.Ordinal), $"the demo service's program exited with {exitCode}:{Environment.NewLine}{demoOutput}");
    }

    private static string Required(IReadOnlyDictionary<string, string> environment, string key, string service)
        => environment.TryGetValue(key, out string? value) && value.Length > 0 ? value : throw new Xunit.Sdk.XunitException($"compose service '{service}' sets no {key}");

    /// <summary>Runs the demo program (<c>Actors.ClientDemo.dll</c>, next to the tests) with <paramref name="environment"/>; returns its exit code and output.</summary>
    private static async Task<(int ExitCode, string Output)> RunDemoAsync(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(DotNetHost.Resolve())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Actors.ClientDemo.dll"));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment)
        {
            info.Environment[key] = value;
        }

        var lines = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(DemoLimit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"(killed: still running after {DemoLimit}){Environment.NewLine}{Text()}");
        }

        return (process.ExitCode, Text());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (lines)
                {
                    lines.AppendLine(line);
                }
            }
        }

        string Text()
        {
            lock (lines)
            {
                return lines.ToString();
            }
        }
    }
}
