using Actors.Orleans;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests.Orleans;

/// <summary>
/// An in-process Orleans silo (TestingHost) on a log in a temp directory, its default grain storage on the log with the
/// System.Text.Json codec; it writes a few states and events through the real providers and keeps running, so the tool
/// reads the log read-only beside the live silo. Shared by the tests of a class.
/// </summary>
public sealed class OrleansSiloLog : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private TestCluster? _cluster;

    /// <summary>The silo's log directory.</summary>
    public string Directory => _temp.Path;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["ToolTestsLog"] = _temp.Path;
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = await AsyncDisposableStart.StartAsync(builder.Build(), cluster => cluster.DeployAsync());
        IGrainFactory grains = _cluster.GrainFactory;
        for (int i = 1; i <= 3; i++)
        {
            await grains.GetGrain<ITallyGrain>("t1").Add(i);
        }

        await grains.GetGrain<ISnapshotTallyGrain>("s1").Add(5);
        await grains.GetGrain<ISnapshotTallyGrain>("s1").Add(6);
        await grains.GetGrain<IProfileGrain>("ada").Rename("Ada Lovelace");
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        _temp.Dispose();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string directory = siloBuilder.Configuration["ToolTestsLog"] ?? throw new InvalidOperationException("ToolTestsLog is not set");
            siloBuilder
                .AddWriteAheadLog(log => log.Directory = directory)
                .AddWriteAheadLogGrainStorageAsDefault(storage => storage.Codec = WalCodec.SystemTextJson);
        }
    }
}
