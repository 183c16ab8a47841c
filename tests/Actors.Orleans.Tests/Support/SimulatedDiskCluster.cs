using System.Collections.Concurrent;
using Actors.Wal;
using Actors.Wal.IO;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// A one-silo TestingHost cluster whose log runs on a given <see cref="IFileSystem"/> (the silo's log takes the one
/// registered in its services): the power-cut simulator. [WriteAheadLog] classes are on the log, 64 KiB segments (rotations,
/// spares, snapshots and manifests within a short run), acknowledged writes fsynced (<see cref="SyncPolicy.Always"/>).
/// </summary>
public static class SimulatedDiskCluster
{
    /// <summary>The log directory on the simulated disk.</summary>
    public const string Directory = "/simulated/silo-log";

    private static readonly ConcurrentDictionary<string, IFileSystem> FileSystems = new(StringComparer.Ordinal);

    /// <summary>Starts the cluster on <paramref name="fileSystem"/> (its log in <paramref name="directory"/>, else <see cref="Directory"/>); dispose it to stop the silo (and close its log).</summary>
    public static async Task<TestCluster> StartAsync(IFileSystem fileSystem, string? directory = null)
    {
        string key = Guid.NewGuid().ToString("N");
        FileSystems[key] = fileSystem;
        var builder = new TestClusterBuilder(1);
        builder.Properties["SimulatedDiskKey"] = key;
        builder.Properties["SimulatedDiskDirectory"] = directory ?? Directory;
        builder.AddSiloBuilderConfigurator<Configurator>();
        try
        {
            return await AsyncDisposableStart.StartAsync(builder.Build(), cluster => cluster.DeployAsync());
        }
        finally
        {
            // The silo took its file system while it started.
            FileSystems.TryRemove(key, out _);
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string key = siloBuilder.Configuration["SimulatedDiskKey"] ?? throw new InvalidOperationException("SimulatedDiskKey is not set");
            IFileSystem fileSystem = FileSystems[key];
            siloBuilder.Services.AddSingleton(fileSystem);
            siloBuilder.AddMemoryGrainStorageAsDefault();
            siloBuilder.AddWriteAheadLog(log =>
            {
                log.Directory = siloBuilder.Configuration["SimulatedDiskDirectory"] ?? Directory;
                log.SyncPolicy = SyncPolicy.Always;
                log.SegmentSizeBytes = 64 * 1024;
                log.MaxRecordSizeBytes = 16 * 1024;
                log.ConfigureEngine = engine =>
                {
                    engine.PreallocateSegments = false;
                    engine.ZeroFillSegments = false;
                };
            });
        }
    }
}
