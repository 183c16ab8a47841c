using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// TestingHost clusters whose silos keep their logs under one root, a directory per silo name, so a cluster started again
/// on the same root sees what the previous one stored (the state-replay tests).
/// </summary>
public static class WalTestCluster
{
    public static async Task<TestCluster> StartAsync(string root, WalSiloMode mode, short silos = 1, long? segmentSizeBytes = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties["WalRoot"] = root;
        builder.Properties["WalSegmentBytes"] = segmentSizeBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        builder.Properties["WalMode"] = mode.ToString();
        builder.AddSiloBuilderConfigurator<Configurator>();
        return await AsyncDisposableStart.StartAsync(builder.Build(), cluster => cluster.DeployAsync());
    }

    /// <summary>The log of the cluster's primary silo (in-process).</summary>
    public static Actors.Orleans.Log.SiloLog PrimaryLog(TestCluster cluster) =>
        ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services.GetRequiredService<Actors.Orleans.Log.SiloLog>();

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string root = siloBuilder.Configuration["WalRoot"] ?? throw new InvalidOperationException("WalRoot is not set");
            var mode = Enum.Parse<WalSiloMode>(siloBuilder.Configuration["WalMode"] ?? nameof(WalSiloMode.AttributeOnly));
            string? segmentBytes = siloBuilder.Configuration["WalSegmentBytes"];
            if (mode == WalSiloMode.WithoutLog)
            {
                siloBuilder.AddMemoryGrainStorageAsDefault();
                return;
            }

            siloBuilder.AddWriteAheadLog(log =>
            {
                if (!string.IsNullOrEmpty(segmentBytes))
                {
                    log.SegmentSizeBytes = long.Parse(segmentBytes, System.Globalization.CultureInfo.InvariantCulture);
                    log.MaxRecordSizeBytes = (int)(log.SegmentSizeBytes / 4);

                    // History policies apply when a space pass copies a segment sealed more than HistoryTrimAge ago
                    // (an hour by default): here every sealed segment qualifies.
                    log.ConfigureEngine = engine => engine.HistoryTrimAge = TimeSpan.FromTicks(1);
                }
            });
            siloBuilder.Services.AddOptions<SiloLogOptions>().Configure<IOptions<SiloOptions>>((log, silo) => log.Directory = Path.Combine(root, silo.Value.SiloName));
            if (mode == WalSiloMode.Defaults)
            {
                siloBuilder.AddWriteAheadLogGrainStorageAsDefault();
                siloBuilder.AddWriteAheadLogLogConsistencyProviderAsDefault();
            }
            else
            {
                siloBuilder.AddMemoryGrainStorageAsDefault();
            }
        }
    }
}
