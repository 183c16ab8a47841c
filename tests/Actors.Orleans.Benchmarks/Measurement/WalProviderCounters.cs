using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>
/// Totals of the write-ahead log providers' counters (meter <c>Actors.Orleans</c>) per instrument and provider, so the
/// benchmark can check what the log did: checkpoints written, events replayed at activation.
/// </summary>
public sealed class WalProviderCounters : IDisposable
{
    public const string MeterName = "Actors.Orleans";
    public const string CheckpointsWritten = "actors.orleans.checkpoints.written";
    public const string ReplayedEvents = "actors.orleans.journal.replayed_events";

    private readonly ConcurrentDictionary<(string Instrument, string Provider), long> _totals = new();
    private readonly MeterListener _listener = new();

    public WalProviderCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument is Counter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The total of counter <paramref name="instrument"/> for provider <paramref name="provider"/> so far.</summary>
    public long Total(string instrument, string provider) => _totals.TryGetValue((instrument, provider), out long total) ? total : 0;

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string provider = "";
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "provider")
            {
                provider = tag.Value as string ?? "";
            }
        }

        _totals.AddOrUpdate((instrument.Name, provider), value, (_, total) => total + value);
    }
}
