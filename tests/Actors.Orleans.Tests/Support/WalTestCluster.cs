using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.Support;

/// <summary>How the test silos configure their storage.</summary>
public enum WalSiloMode
{
    /// <summary><c>AddWriteAheadLog</c> only, memory storage as the default: only [WriteAheadLog] classes are on the log.</summary>
    AttributeOnly,

    /// <summary>The write-ahead-log providers as the silo's defaults: every grain is on the log.</summary>
    Defaults,
}

/// <summary>
/// TestingHost clusters whose silos keep their logs under one root, a directory per silo name, so a cluster started again
/// on the same root sees what the previous one stored (the state-replay tests).
/// </summary>
public static class WalTestCluster
{
    public static async Task<TestCluster> StartAsync(string root, WalSiloMode mode, short silos = 1)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties["WalRoot"] = root;
        builder.Properties["WalMode"] = mode.ToString();
        builder.AddSiloBuilderConfigurator<Configurator>();
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string root = siloBuilder.Configuration["WalRoot"] ?? throw new InvalidOperationException("WalRoot is not set");
            var mode = Enum.Parse<WalSiloMode>(siloBuilder.Configuration["WalMode"] ?? nameof(WalSiloMode.AttributeOnly));
            siloBuilder.AddWriteAheadLog(_ => { });
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
