using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>The silo's storage: the write-ahead log in the data directory as Orleans's default grain storage and log-consistency provider.</summary>
internal static class SiloStorageExtensions
{
    public static ISiloBuilder AddSiloStorage(this ISiloBuilder silo, ActorsSiloOptions options)
    {
        silo.AddWriteAheadLog(log =>
        {
            log.Directory = options.LogDirectory;
            log.SyncPolicy = options.SyncPolicy;
            log.SegmentSizeBytes = options.SegmentSizeBytes;
        });
        silo.AddWriteAheadLogGrainStorageAsDefault();
        silo.AddWriteAheadLogLogConsistencyProviderAsDefault();
        return silo;
    }
}
