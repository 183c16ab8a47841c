using Actors;
using Actors.Runtime;
using Actors.Streams;

namespace Telemetry;

/// <summary>The producer: forwards readings to the device's stream.</summary>
public sealed class DeviceGrain : Grain, IDeviceGrain
{
    private IAsyncStream<Reading>? _stream;

    private IAsyncStream<Reading> Stream => _stream ??=
        this.GetStreamProvider(TelemetrySample.StreamProvider).GetStream<Reading>(StreamId.Create(TelemetrySample.Namespace, this.GetPrimaryKeyString()));

    public Task Report(double value) => Stream.OnNextAsync(new Reading(this.GetPrimaryKeyString(), value));

    public Task ReportMany(double[] values) => Stream.OnNextBatchAsync(values.Select(v => new Reading(this.GetPrimaryKeyString(), v)));
}
