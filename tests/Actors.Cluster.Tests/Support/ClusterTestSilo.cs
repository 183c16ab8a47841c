using Actors.Cluster.Tests.Grains;
using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;

namespace Actors.Cluster.Tests.Support;

/// <summary>The test grains and a small default write-ahead-log store in the silo's data directory.</summary>
public sealed class ClusterTestSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder
            .AddGrain<VolatileCounterGrain>()
            .AddGrain<LocalCounterGrain>()
            .AddGrain<HashedCounterGrain>()
            .AddGrain<AccountGrain>()
            .AddGrain<RelayAccountGrain>()
            .AddGrain<TrackedGrain>()
            .AddGrain<WireCrossingGrain>()
            .AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(siloBuilder.GetTestSiloContext().DataDirectory, "wal");
                o.SegmentSizeBytes = 1024 * 1024;
                o.MaxRecordSizeBytes = 256 * 1024;
                o.MaxEventSizeBytes = 64 * 1024;
                o.PreallocateSegments = false;
            });
    }
}
