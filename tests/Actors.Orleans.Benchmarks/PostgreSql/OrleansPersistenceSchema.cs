using Npgsql;

namespace Actors.Orleans.Benchmarks.PostgreSql;

/// <summary>
/// The tables and queries Orleans's ADO.NET grain storage (Microsoft.Orleans.Persistence.AdoNet) needs in PostgreSQL,
/// written for this benchmark (the package ships no SQL). The provider reads its four statements from table
/// <c>orleansquery</c> at startup, by key, and binds them by parameter name: <c>@GrainIdHash</c> (int),
/// <c>@GrainIdN0</c>, <c>@GrainIdN1</c> (bigint), <c>@GrainTypeHash</c> (int), <c>@GrainTypeString</c>,
/// <c>@GrainIdExtensionString</c> (null for integer keys), <c>@ServiceId</c>, <c>@GrainStateVersion</c> (int, null
/// before the first write) and <c>@PayloadBinary</c>. A read returns columns <c>PayloadBinary</c> and <c>Version</c>;
/// the other three return <c>NewGrainStateVersion</c>, and the provider reports a conflict
/// (<c>InconsistentStateException</c>) when that is missing, empty, or equal to the version it sent.
/// </summary>
/// <remarks>
/// Each write is one statement in its own (autocommit) transaction, so it returns after PostgreSQL's commit, which waits
/// for the WAL flush under <c>synchronous_commit=on</c>. The nullable parameters are cast wherever they appear, so
/// PostgreSQL infers one type for them whether Npgsql sends a value or a null.
/// </remarks>
public static class OrleansPersistenceSchema
{
    private const string GrainMatches = """
        grainidhash = @GrainIdHash
          AND graintypehash = @GrainTypeHash
          AND grainidn0 = @GrainIdN0
          AND grainidn1 = @GrainIdN1
          AND serviceid = @ServiceId
          AND graintypestring = @GrainTypeString
          AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
        """;

    private const string Tables = """
        CREATE TABLE orleansquery (
            querykey varchar(64) PRIMARY KEY,
            querytext text NOT NULL
        );

        CREATE TABLE orleansstorage (
            grainidhash integer NOT NULL,
            graintypehash integer NOT NULL,
            grainidn0 bigint NOT NULL,
            grainidn1 bigint NOT NULL,
            serviceid varchar(150) NOT NULL,
            graintypestring varchar(512) NOT NULL,
            grainidextensionstring varchar(512),
            payloadbinary bytea,
            modifiedon timestamptz NOT NULL DEFAULT now(),
            version integer NOT NULL,
            CONSTRAINT orleansstorage_grain UNIQUE NULLS NOT DISTINCT
                (grainidhash, graintypehash, grainidn0, grainidn1, serviceid, graintypestring, grainidextensionstring)
        );
        """;

    /// <summary>Read: the payload and version of the grain's row, or no row.</summary>
    private const string Read = $"""
        SELECT payloadbinary AS "PayloadBinary", version AS "Version"
        FROM orleansstorage
        WHERE {GrainMatches}
        """;

    /// <summary>
    /// Write: with a version, update the row holding exactly that version; without one, insert version 1 unless the
    /// grain has a row. Returns the new version, or the version sent (or null) when nothing changed: a conflict.
    /// </summary>
    private const string Write = $"""
        WITH updated AS (
            UPDATE orleansstorage
            SET payloadbinary = @PayloadBinary, modifiedon = now(), version = version + 1
            WHERE @GrainStateVersion::integer IS NOT NULL
              AND version = @GrainStateVersion::integer
              AND {GrainMatches}
            RETURNING version
        ), inserted AS (
            INSERT INTO orleansstorage
                (grainidhash, graintypehash, grainidn0, grainidn1, serviceid, graintypestring, grainidextensionstring, payloadbinary, version)
            SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString,
                   @GrainIdExtensionString::varchar, @PayloadBinary, 1
            WHERE @GrainStateVersion::integer IS NULL
            ON CONFLICT ON CONSTRAINT orleansstorage_grain DO NOTHING
            RETURNING version
        )
        SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion::integer)
            AS "NewGrainStateVersion"
        """;

    /// <summary>Clear: empties the payload of the row holding the version sent and moves its version on.</summary>
    private const string Clear = $"""
        UPDATE orleansstorage
        SET payloadbinary = NULL, modifiedon = now(), version = version + 1
        WHERE version = @GrainStateVersion::integer AND {GrainMatches}
        RETURNING version AS "NewGrainStateVersion"
        """;

    /// <summary>Delete (DeleteStateOnClear): removes the row holding the version sent; returns that version + 1.</summary>
    private const string Delete = $"""
        DELETE FROM orleansstorage
        WHERE version = @GrainStateVersion::integer AND {GrainMatches}
        RETURNING version + 1 AS "NewGrainStateVersion"
        """;

    /// <summary>The query keys the provider looks up and the statements this schema gives them.</summary>
    public static IReadOnlyList<(string Key, string Text)> Queries { get; } =
    [
        ("ReadFromStorageKey", Read),
        ("WriteToStorageKey", Write),
        ("ClearStorageKey", Clear),
        ("DeleteStorageKey", Delete),
    ];

    /// <summary>Creates database <paramref name="database"/> on the server and the schema in it; returns its connection string.</summary>
    public static async Task<string> CreateAsync(PostgreSqlServer server, string database)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using (NpgsqlDataSource admin = NpgsqlDataSource.Create(server.ConnectionString()))
        {
            await using NpgsqlCommand create = admin.CreateCommand($"CREATE DATABASE {database}");
            await create.ExecuteNonQueryAsync();
        }

        string connectionString = server.ConnectionString(database);
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
        await using (NpgsqlCommand tables = source.CreateCommand(Tables))
        {
            await tables.ExecuteNonQueryAsync();
        }

        foreach ((string key, string text) in Queries)
        {
            await using NpgsqlCommand insert = source.CreateCommand("INSERT INTO orleansquery (querykey, querytext) VALUES ($1, $2)");
            insert.Parameters.Add(new NpgsqlParameter { Value = key });
            insert.Parameters.Add(new NpgsqlParameter { Value = text });
            await insert.ExecuteNonQueryAsync();
        }

        return connectionString;
    }
}
