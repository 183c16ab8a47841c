using Actors.Orleans.Silo.Options;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>The silo's storage: the write-ahead log in the data directory as Orleans's default grain storage and log-consistency provider.</summary>
internal static class SiloStorageExtensions
{
    /// <summary>The configuration section of the log's settings: the package's own (<c>WriteAheadLog:SyncPolicy</c>, <c>WriteAheadLog:SegmentSizeBytes</c>, ...).</summary>
    public const string LogSection = "WriteAheadLog";

    /// <summary>
    /// Adds the log with its directory under <see cref="ActorsSiloOptions.DataDirectory"/> and every other setting bound
    /// from section <see cref="LogSection"/> exactly as the package binds it (a <c>WriteAheadLog:Directory</c> there
    /// overrides the directory); validated when the silo starts, naming the setting.
    /// </summary>
    public static ISiloBuilder AddSiloStorage(this ISiloBuilder silo, ActorsSiloOptions options, IConfiguration configuration)
    {
        silo.AddWriteAheadLog((OptionsBuilder<SiloLogOptions> log) => log
            .Configure(o => o.Directory = options.LogDirectory)
            .Bind(configuration.GetSection(LogSection)));
        silo.AddWriteAheadLogGrainStorageAsDefault();
        silo.AddWriteAheadLogLogConsistencyProviderAsDefault();
        return silo;
    }
}
