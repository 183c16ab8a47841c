using System.Reflection;
using Actors.Orleans.Silo.Hosting;
using Actors.Orleans.Silo.Options;
using Npgsql;

namespace Actors.Orleans.Silo.Clustering;

/// <summary>
/// Creates Orleans's membership tables in PostgreSQL when missing (<c>orleans-clustering-postgresql.sql</c>, embedded):
/// a hosted service registered before Orleans's, so the tables exist before the silo joins. Several silos may start at
/// once: the script runs in one transaction that first takes a transaction-scoped advisory lock, so they apply it one
/// after the other, and every statement in it only creates what is missing.
/// </summary>
/// <remarks>
/// PostgreSQL may come up after the silo (Kubernetes starts pods in any order): connecting is retried every second
/// for up to <see cref="ConnectTimeout"/>; after that the silo stops with a <see cref="SiloStartupException"/> naming
/// the setting and the last error.
/// </remarks>
internal sealed partial class OrleansClusteringSchema(ActorsSiloOptions options, ILogger<OrleansClusteringSchema> logger) : IHostedService
{
    /// <summary>How long the database may take to accept a connection.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The advisory lock key silos take while applying the script (an arbitrary constant: "ActorsOC").</summary>
    public const long AdvisoryLockKey = 0x4163746F72734F43;

    /// <summary>The script's resource name.</summary>
    public const string ScriptResource = "Actors.Orleans.Silo.Clustering.orleans-clustering-postgresql.sql";

    /// <summary>The script's text.</summary>
    public static string Script
    {
        get
        {
            using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ScriptResource)
                ?? throw new InvalidOperationException($"The resource {ScriptResource} is missing from {Assembly.GetExecutingAssembly().GetName().Name}: the build did not embed it.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string script = Script;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ConnectTimeout);
        using var retry = new PeriodicTimer(TimeSpan.FromSeconds(1));
        Exception? last = null;
        do
        {
            try
            {
                await ApplyAsync(options.ClusteringConnectionString, script, deadline.Token);
                LogApplied(logger);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException)
            {
                last = ex;
                LogWaiting(logger, ex.Message);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        while (await NextAsync(retry, deadline.Token));

        cancellationToken.ThrowIfCancellationRequested();
        throw new SiloStartupException(
            $"{ActorsSiloOptions.SectionName}:{nameof(ActorsSiloOptions.ClusteringConnectionString)}: the database did not accept a connection within {ConnectTimeout.TotalSeconds:F0} s to create Orleans's membership tables; last error: {last?.Message ?? "none (timed out)"}",
            last ?? new TimeoutException());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies <paramref name="script"/> in one transaction under the advisory lock.</summary>
    public static async Task ApplyAsync(string connectionString, string script, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var apply = new NpgsqlCommand(script, connection, transaction))
        {
            await apply.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Orleans's membership tables are in place in PostgreSQL (created where missing)")]
    private static partial void LogApplied(ILogger logger);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Waiting for PostgreSQL to create Orleans's membership tables: {Error}")]
    private static partial void LogWaiting(ILogger logger, string error);
}
