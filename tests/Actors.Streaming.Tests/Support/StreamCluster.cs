using Actors.Hosting;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.Streaming.Tests.Grains;
using Actors.Streams;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Streaming.Tests.Support;

/// <summary>A one-silo test cluster with the test grains, a memory provider "mem" and a write-ahead-log provider "wal".</summary>
internal static class StreamCluster
{
    public const string Memory = "mem";
    public const string Wal = "wal";

    public static async Task<TestCluster> StartAsync(DeliveryRecorder recorder, Gate? gate = null, Action<StreamProviderOptions>? options = null, Action<ISiloBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder();
        builder.ConfigureSilo(silo =>
        {
            silo.AddGrain<ConsumerGrain>().AddGrain<SlowConsumerGrain>().AddGrain<FailingConsumerGrain>()
                .AddGrain<ImplicitConsumerGrain>().AddGrain<StringConsumerGrain>();
            silo.AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "wal");
                o.SegmentSizeBytes = 4 * 1024 * 1024;
                o.MaxRecordSizeBytes = 256 * 1024;
                o.MaxEventSizeBytes = 16 * 1024;
                o.PreallocateSegments = false;
            });
            silo.AddMemoryStreams(Memory, o => Configure(o, options));
            silo.AddWriteAheadLogStreams(Wal, o => Configure(o, options));
            silo.Services.AddSingleton(recorder);
            silo.Services.AddSingleton(gate ?? new Gate());
            configure?.Invoke(silo);
        });
        return await DeployAsync(builder);
    }

    /// <summary>Builds and deploys the cluster (disposed again when the deployment fails).</summary>
    public static async Task<TestCluster> DeployAsync(TestClusterBuilder builder)
    {
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

    /// <summary>The running silo's provider (for producing from outside grains).</summary>
    public static IStreamProvider Provider(TestCluster cluster, string name) => cluster.Primary.Services.GetStreamProvider(name);

    public static WriteAheadLogStore Store(TestCluster cluster) => cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>(WriteAheadLogStore.DefaultStoreName);

    private static void Configure(StreamProviderOptions o, Action<StreamProviderOptions>? options)
    {
        o.DeliveryRetryDelay = TimeSpan.FromMilliseconds(20);
        o.MaxDeliveryRetryDelay = TimeSpan.FromMilliseconds(200);
        options?.Invoke(o);
    }
}
