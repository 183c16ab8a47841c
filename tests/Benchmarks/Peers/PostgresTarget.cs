using Npgsql;
using NpgsqlTypes;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// PostgreSQL as an event store: table events(stream_id text, version bigint, payload bytea,
/// primary key (stream_id, version)); each append is one prepared INSERT in autocommit (so one transaction,
/// synchronous_commit=on: acknowledged after PostgreSQL's WAL flush). One connection per writer.
/// </summary>
internal sealed class PostgresTarget : IAppendTarget
{
    public const string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS events (
            stream_id text NOT NULL,
            version bigint NOT NULL,
            payload bytea NOT NULL,
            PRIMARY KEY (stream_id, version));
        CREATE TABLE IF NOT EXISTS snapshots (
            stream_id text NOT NULL,
            version bigint NOT NULL,
            payload bytea NOT NULL,
            PRIMARY KEY (stream_id, version));
        """;

    private const string InsertSql = "INSERT INTO events (stream_id, version, payload) VALUES ($1, $2, $3)";

    private readonly string _connectionString;
    private NpgsqlDataSource? _dataSource;
    private Writer[] _writers = [];

    public PostgresTarget(string connectionString)
    {
        _connectionString = connectionString;
    }

    public string Name => "PostgreSQL";

    public bool IsBlocking => false;

    public static NpgsqlDataSource CreateDataSource(string connectionString, int maxPoolSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = maxPoolSize,
            NoResetOnClose = true,
        };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public async ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        _dataSource = CreateDataSource(_connectionString, writers + 2);
        await using (NpgsqlCommand setup = _dataSource.CreateCommand(CreateSchemaSql + "TRUNCATE events;"))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        _writers = new Writer[writers];
        for (int w = 0; w < writers; w++)
        {
            NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            var command = new NpgsqlCommand(InsertSql, connection);
            var stream = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = $"s/{w}" };
            var version = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint };
            var payload = new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea };
            command.Parameters.Add(stream);
            command.Parameters.Add(version);
            command.Parameters.Add(payload);
            await command.PrepareAsync(cancellationToken);
            _writers[w] = new Writer(connection, command, version, payload);
        }
    }

    public async ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Writer w = _writers[writer];
        w.Version.TypedValue = version;
        w.Payload.TypedValue = payload;
        await w.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Committed transactions (pg_stat_database.xact_commit) and WAL syncs (pg_stat_wal.wal_sync). PostgreSQL
    /// publishes these with up to about a second of delay per backend; the ratio of the two deltas is still a
    /// fair commits-per-fsync figure because both lag alike.
    /// </summary>
    public async ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken)
    {
        if (_dataSource is null)
        {
            return null;
        }

        await using NpgsqlCommand command = _dataSource.CreateCommand(
            "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), (SELECT wal_sync FROM pg_stat_wal)");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        long commits = reader.GetInt64(0);
        long syncs = reader.GetInt64(1);
        return new SyncCounters(commits, commits, syncs);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Writer w in _writers)
        {
            await w.Command.DisposeAsync();
            await w.Connection.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private sealed record Writer(
        NpgsqlConnection Connection,
        NpgsqlCommand Command,
        NpgsqlParameter<long> Version,
        NpgsqlParameter<ReadOnlyMemory<byte>> Payload);
}
