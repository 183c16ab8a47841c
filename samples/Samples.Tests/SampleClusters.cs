using Actors.Hosting;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.TestingHost;

namespace Samples.Tests;

/// <summary>One-silo test clusters for the samples, with a write-ahead-log store under the silo's data directory.</summary>
internal static class SampleClusters
{
    /// <summary>
    /// Deploys a cluster whose silo is configured by <paramref name="configure"/> plus a store named
    /// <paramref name="storeName"/>. The client connects through the silo's gateway (observers it creates are called back
    /// over that connection). <paramref name="configureStore"/> tunes the store's options after the test defaults.
    /// </summary>
    public static async Task<TestCluster> DeployAsync(string storeName, Action<ISiloBuilder> configure, Action<WriteAheadLogStoreOptions>? configureStore = null)
    {
        var builder = new TestClusterBuilder();
        builder.ConfigureSilo(silo =>
        {
            silo.AddWriteAheadLog(storeName, o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, storeName);
                o.PreallocateSegments = false;
                configureStore?.Invoke(o);
            });
            configure(silo);
        });
        TestCluster cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
