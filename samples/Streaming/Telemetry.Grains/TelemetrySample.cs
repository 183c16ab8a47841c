using Actors.Hosting;

namespace Telemetry;

/// <summary>Adds the telemetry sample to a silo whose default store is a write-ahead log.</summary>
public static class TelemetrySample
{
    /// <summary>The stream provider's name.</summary>
    public const string StreamProvider = "telemetry";

    /// <summary>The namespace of the device streams.</summary>
    public const string Namespace = "telemetry";

    /// <summary>Registers the sample's grains and its durable stream provider (queue in the default write-ahead-log store).</summary>
    public static ISiloBuilder AddTelemetrySample(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.AddGrain<DeviceGrain>().AddGrain<DeviceStatsGrain>().AddGrain<AlertGrain>()
            .AddWriteAheadLogStreams(StreamProvider);
    }
}
