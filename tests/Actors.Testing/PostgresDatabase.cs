using Xunit;

namespace Actors.Testing;

/// <summary>
/// A database of its own on the one <see cref="PostgresServer"/> a test process shares: a class fixture for the classes
/// that need PostgreSQL, so that an assembly starts one server (about 2.5 CPU s for <c>initdb</c>, start and stop) instead
/// of one per class. The server starts with the first fixture and stops when the last one is disposed (started again if
/// a later class needs it); each fixture gets a fresh database, so the classes share no tables.
/// </summary>
/// <remarks>Thread-safe: the classes of an assembly start and end beside each other.</remarks>
public sealed class PostgresDatabase : IAsyncLifetime
{
    /// <summary>
    /// The shared server's connection limit: the classes running at once (up to four) each as many as a server of their
    /// own allowed (PostgreSQL's default, 100).
    /// </summary>
    private const int MaxConnections = 400;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _shared;
    private static int _users;

    private PostgresServer? _server;

    /// <summary>The connection string of this fixture's database (set by <see cref="InitializeAsync"/>).</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_shared is null)
            {
                var server = new PostgresServer(MaxConnections);
                try
                {
                    await server.InitializeAsync().ConfigureAwait(false);
                }
                catch (Exception start)
                {
                    // Nothing of a server that failed to start stays behind (its directory, a half-started postmaster).
                    try
                    {
                        await server.DisposeAsync().ConfigureAwait(false);
                    }
                    catch (InvalidOperationException stop)
                    {
                        throw new AggregateException(start, stop);
                    }

                    throw;
                }

                _shared = server;
            }

            _users++;
            _server = _shared;
        }
        finally
        {
            Gate.Release();
        }

        ConnectionString = await _server.CreateDatabaseAsync().ConfigureAwait(false);
    }

    /// <summary>Creates another empty database on the shared server, runs <paramref name="sql"/> in it and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string sql) =>
        (_server ?? throw new InvalidOperationException("the fixture is not initialized")).CreateDatabaseAsync(sql);

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        _server = null;
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (--_users == 0)
            {
                PostgresServer last = _shared!;
                _shared = null;
                await last.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
