using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Actors.Orleans.Benchmarks.PostgreSql;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for one run: <c>initdb</c> in a directory of the run (owned by the postgres user,
/// since PostgreSQL refuses to run as root), started with <c>pg_ctl</c> on a loopback port with its socket in that
/// directory and PostgreSQL's default durability made explicit (fsync, synchronous_commit and full_page_writes on),
/// stopped and deleted on dispose.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>The server settings the benchmark passes; the durability ones are PostgreSQL's defaults, stated.</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> Settings =
    [
        ("fsync", "on"),
        ("synchronous_commit", "on"),
        ("full_page_writes", "on"),
        ("listen_addresses", "127.0.0.1"),
        ("max_connections", "300"),
    ];

    private readonly string _directory;
    private int _started;
    private int _disposed;

    private PostgreSqlServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Connects as the superuser over TCP to database <paramref name="database"/>, pooled by Npgsql (default pool size).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=30;Command Timeout=120";

    public static async Task<PostgreSqlServer> StartAsync(string parentDirectory, int port)
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is missing: no {BinDirectory}/initdb (apt-get install postgresql-15)");
        }

        string directory = Path.Combine(parentDirectory, "postgresql");
        Directory.CreateDirectory(directory);
        if (Environment.IsPrivilegedProcess)
        {
            await ProcessRunner.RunAsync("chown", ["postgres", directory]);
        }

        var server = new PostgreSqlServer(directory, port == 0 ? FreeLoopbackPort() : port);
        try
        {
            await server.InitializeAndStartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The settings as the running server reports them (<c>SHOW</c>), for the report.</summary>
    public async Task<IReadOnlyList<(string Name, string Value)>> ShowSettingsAsync()
    {
        string[] names = ["server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers", "max_connections"];
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(ConnectionString());
        var settings = new List<(string, string)>();
        foreach (string name in names)
        {
            await using NpgsqlCommand command = source.CreateCommand($"SHOW {name}");
            settings.Add((name, (string)(await command.ExecuteScalarAsync() ?? "")));
        }

        return settings;
    }

    /// <summary>Stops the server (fast shutdown) and deletes its directory; once, whoever calls first (the run or an interruption).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (Interlocked.Exchange(ref _started, 0) == 1)
            {
                await ProcessRunner.RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asPostgresUser: true);
            }
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task InitializeAndStartAsync()
    {
        await ProcessRunner.RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth=trust"], asPostgresUser: true);
        string serverOptions = $"-p {Port} -k {_directory} " + string.Join(' ', Settings.Select(s => $"-c {s.Name}={s.Value}"));
        await ProcessRunner.RunAsync(
            Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "120", "-o", serverOptions, "start"],
            asPostgresUser: true);
        _started = 1;
        await WaitForConnectionsAsync();
    }

    private async Task WaitForConnectionsAsync()
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException e) when (DateTime.UtcNow < deadline)
            {
                Console.Error.WriteLine($"waiting for PostgreSQL on port {Port}: {e.Message}");
                await Task.Delay(200);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
