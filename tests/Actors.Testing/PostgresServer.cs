using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Actors.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 server for tests: <c>initdb</c> on a temp directory as the postgres user, started on a free
/// loopback port, stopped and deleted on dispose. Installs the Debian package when its binaries are missing (root; one
/// process at a time); never skips: a server that cannot start fails the test that needs it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string InstallLock = "/tmp/actors-postgresql-15-install.lock";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-pg-" + Guid.NewGuid().ToString("N"));
    private readonly int _maxConnections;

    /// <summary>A server with PostgreSQL's default connection limit (100).</summary>
    public PostgresServer()
        : this(100)
    {
    }

    /// <summary>A server that accepts up to <paramref name="maxConnections"/> connections (<c>max_connections</c>).</summary>
    /// <remarks>Internal: xunit takes a class fixture's single public constructor.</remarks>
    internal PostgresServer(int maxConnections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        _maxConnections = maxConnections;
    }

    public int Port { get; private set; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true;Timeout=15;Command Timeout=30";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            // Test assemblies run side by side (tests/TestRun.targets) and each class starts its own server: one process
            // installs, the others wait on the lock and find the binaries installed.
            await RunAsync("flock", $"{InstallLock} sh -c \"test -x {Bin}/initdb || (apt-get update && apt-get install -y postgresql-15)\"");
        }

        Directory.CreateDirectory(_directory);
        await RunAsync("chown", $"postgres {_directory}");
        string data = Path.Combine(_directory, "data");
        await RunAsync("runuser", $"-u postgres -- {Bin}/initdb -D {data} -U postgres --auth=trust --no-sync");
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        await RunAsync("runuser", $"-u postgres -- {Bin}/pg_ctl -D {data} -l {_directory}/log -w -t 120 -o \"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections={_maxConnections}\" start");
    }

    /// <summary>Creates an empty database on this server, runs <paramref name="sql"/> in it (when given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? sql = null)
    {
        string name = "test_" + Guid.NewGuid().ToString("N");
        await using (Npgsql.NpgsqlDataSource admin = Npgsql.NpgsqlDataSource.Create(ConnectionString))
        {
            await using Npgsql.NpgsqlCommand create = admin.CreateCommand($"CREATE DATABASE {name}");
            await create.ExecuteNonQueryAsync();
        }

        string connectionString = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
        if (sql is null)
        {
            return connectionString;
        }

        await using Npgsql.NpgsqlDataSource source = Npgsql.NpgsqlDataSource.Create(connectionString);
        await using Npgsql.NpgsqlCommand command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    /// <summary>
    /// Creates login role <paramref name="user"/> with <paramref name="password"/> and database <paramref name="database"/>
    /// owned by it (what the postgres image does with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB); returns a
    /// connection string as that user. The server authenticates by trust, so the password is passed but not checked.
    /// </summary>
    public async Task<string> CreateOwnedDatabaseAsync(string user, string password, string database)
    {
        await using (Npgsql.NpgsqlDataSource admin = Npgsql.NpgsqlDataSource.Create(ConnectionString))
        {
            string role = Quote(user);
            await using (Npgsql.NpgsqlCommand create = admin.CreateCommand($"CREATE ROLE {role} LOGIN PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'"))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using Npgsql.NpgsqlCommand createDatabase = admin.CreateCommand($"CREATE DATABASE {Quote(database)} OWNER {role}");
            await createDatabase.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Username = user, Password = password, Database = database }.ConnectionString;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async Task DisposeAsync()
    {
        try
        {
            await RunAsync("runuser", $"-u postgres -- {Bin}/pg_ctl -D {Path.Combine(_directory, "data")} -m immediate -w stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' exited with {process.ExitCode}: {await output} {await error}");
        }
    }
}
