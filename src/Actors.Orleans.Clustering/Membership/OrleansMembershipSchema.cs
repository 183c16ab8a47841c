using Npgsql;

namespace Actors.Orleans.Clustering;

/// <summary>
/// The tables and statements Orleans's ADO.NET membership (Microsoft.Orleans.Clustering.AdoNet, <c>UseAdoNetClustering</c>
/// with Invariant "Npgsql") needs in PostgreSQL; the package ships none. The script is this assembly's resource
/// <c>orleans-membership-postgresql.sql</c> (also copied beside the assembly for <c>psql -f</c>).
/// </summary>
/// <remarks>Idempotent: creating runs the whole script under a transaction-level advisory lock, so silos and tests may call
/// <see cref="CreateAsync"/> on every start, together.</remarks>
public static class OrleansMembershipSchema
{
    /// <summary>The advisory lock key of the script ("ACOM" as an integer).</summary>
    private const long LockKey = 0x41434F4D;

    /// <summary>The script's text.</summary>
    public static string Script { get; } = Load();

    /// <summary>Creates Orleans's membership tables and statements in the database of <paramref name="connectionString"/> when missing.</summary>
    /// <exception cref="WriteAheadLogReplicationException">PostgreSQL could not be reached or refused the script.</exception>
    public static async Task CreateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("k", LockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var script = new NpgsqlCommand(Script, connection, transaction))
            {
                await script.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new WriteAheadLogReplicationException($"Creating Orleans's membership tables (orleans-membership-postgresql.sql) in PostgreSQL failed: {ex.Message}", ex);
        }
    }

    private static string Load()
    {
        using Stream stream = typeof(OrleansMembershipSchema).Assembly.GetManifestResourceStream("Actors.Orleans.Clustering.orleans-membership-postgresql.sql")
            ?? throw new InvalidOperationException("The resource orleans-membership-postgresql.sql is missing from Actors.Orleans.Clustering.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
