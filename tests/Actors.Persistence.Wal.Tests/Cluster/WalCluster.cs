using Actors.Client;
using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>Starts a one-silo test cluster whose default store is a write-ahead log in the silo's data directory.</summary>
internal static class WalCluster
{
    public static string LogDirectory(TestCluster cluster) => Path.Combine(cluster.Primary.Context.DataDirectory, "wal");

    /// <summary>The running silo's write-ahead-log store <paramref name="name"/> (the default store unless named).</summary>
    public static WriteAheadLogStore Store(TestCluster cluster, string name = WriteAheadLogStore.DefaultStoreName) =>
        cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>(name);

    /// <summary>Adds a second write-ahead-log store <paramref name="name"/> in its own directory of the silo's data directory.</summary>
    public static ISiloBuilder AddSecondStore(ISiloBuilder silo, string name) => silo.AddWriteAheadLog(name, o =>
    {
        o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, name);
        o.PreallocateSegments = false;
    });

    public static async Task<TestCluster> StartAsync(
        Action<WriteAheadLogStoreOptions>? configure = null,
        IEventLogFactory? logFactory = null,
        Action<ISiloBuilder>? configureSilo = null,
        Action<ClusterClientBuilder>? configureClient = null)
    {
        var builder = new TestClusterBuilder();
        if (configureClient is not null)
        {
            builder.ConfigureClient(configureClient);
        }

        builder.ConfigureSilo(silo =>
        {
            silo.AddGrain<LedgerGrain>().AddGrain<CheckpointedLedgerGrain>().AddGrain<ProfileGrain>();
            silo.AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "wal");
                o.SegmentSizeBytes = 4 * 1024 * 1024;
                o.MaxRecordSizeBytes = 256 * 1024;
                o.MaxEventSizeBytes = 16 * 1024;
                o.PreallocateSegments = false;
                configure?.Invoke(o);
            });
            if (logFactory is not null)
            {
                silo.Services.AddSingleton(logFactory);
            }

            configureSilo?.Invoke(silo);
        });
        TestCluster cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }
}
