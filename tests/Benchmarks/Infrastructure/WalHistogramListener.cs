using System.Diagnostics.Metrics;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>A started <see cref="MeterListener"/> of one of the engine's <c>double</c> histograms (meter <c>Actors.Wal</c>).</summary>
internal static class WalHistogramListener
{
    /// <summary>Listens to the engine's histogram <paramref name="instrumentName"/>, calling <paramref name="onMeasurement"/> for each value.</summary>
    public static MeterListener Start(string instrumentName, MeasurementCallback<double> onMeasurement)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Actors.Wal" && instrument.Name == instrumentName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback(onMeasurement);
        listener.Start();
        return listener;
    }
}
