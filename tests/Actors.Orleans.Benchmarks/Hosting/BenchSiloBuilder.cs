using System.Net;
using System.Net.Sockets;
using Actors.Orleans.Benchmarks.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Orleans.Benchmarks.Hosting;

/// <summary>
/// The one in-process silo (localhost clustering on free ports) with the providers the chosen variants need, under the
/// names the benchmark grains' attributes use. Callers use the silo's own grain factory (the co-hosted client).
/// </summary>
public static class BenchSiloBuilder
{
    /// <summary>The ADO.NET invariant Orleans maps to Npgsql's factory.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    public static IHost Build(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        // The silo's log goes to standard error, with the progress lines; standard output holds the report alone.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreeLoopbackPort(), gatewayPort: FreeLoopbackPort());
            // Grains stay active between rounds; the activation section deactivates its grains itself.
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(2));
            silo.AddMemoryGrainStorage(ProviderNames.Memory);
            silo.AddStateStorageBasedLogConsistencyProvider(ProviderNames.MemoryStateStorage);
            if (settings.PostgreSqlConnectionString is { } connectionString)
            {
                AddPostgreSql(silo, connectionString);
            }

            if (settings.WalDirectory is { } walDirectory)
            {
                WalProviders.Add(silo, walDirectory, settings.CheckpointEveryEvents, settings.ReplayCheckpointBytes, settings.JournalHistory);
            }
        });
        return builder.Build();
    }

    private static void AddPostgreSql(ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorage(ProviderNames.PostgreSql, options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
        // Orleans's binary serializer, as the write-ahead log's providers use by default (the ADO.NET default is JSON).
        silo.Services.AddOptions<AdoNetGrainStorageOptions>(ProviderNames.PostgreSql)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        silo.AddStateStorageBasedLogConsistencyProvider(ProviderNames.StateStorage);
        silo.AddLogStorageBasedLogConsistencyProvider(ProviderNames.LogStorage);
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
