using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>
/// Totals of the write-ahead log providers' counters (meter <c>Actors.Orleans</c>) per instrument and provider, so the
/// benchmark can check what the log did (checkpoints written, events replayed at activation), and the durations of
/// their journal loads (the log's part of an activation).
/// </summary>
public sealed class WalProviderCounters : IDisposable
{
    public const string MeterName = "Actors.Orleans";
    public const string CheckpointsWritten = "actors.orleans.checkpoints.written";
    public const string ReplayedEvents = "actors.orleans.journal.replayed_events";
    public const string LoadDuration = "actors.orleans.journal.load.duration";

    private readonly ConcurrentDictionary<(string Instrument, string Provider), long> _totals = new();
    private readonly Dictionary<string, LatencyHistogram> _loads = [];
    private readonly MeterListener _listener = new();

    public WalProviderCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only what the benchmark reads: a listener on every counter (a dictionary update per state write) was
            // harness work inside the WAL variants' CPU per call that the memory variants do not pay.
            if (instrument.Meter.Name == MeterName && instrument.Name is CheckpointsWritten or ReplayedEvents or LoadDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<double>(OnLoadMeasurement);
        _listener.Start();
    }

    /// <summary>The total of counter <paramref name="instrument"/> (<see cref="CheckpointsWritten"/> or <see cref="ReplayedEvents"/>: the others are not listened to) for provider <paramref name="provider"/> so far.</summary>
    public long Total(string instrument, string provider) => _totals.TryGetValue((instrument, provider), out long total) ? total : 0;

    /// <summary>The journal load durations of <paramref name="provider"/> since the previous call (then starts afresh).</summary>
    public LatencyHistogram TakeLoadDurations(string provider)
    {
        lock (_loads)
        {
            LatencyHistogram loads = _loads.GetValueOrDefault(provider) ?? new LatencyHistogram();
            _loads[provider] = new LatencyHistogram();
            return loads;
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnLoadMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != LoadDuration)
        {
            return;
        }

        string provider = Provider(tags);
        lock (_loads)
        {
            if (!_loads.TryGetValue(provider, out LatencyHistogram? loads))
            {
                loads = new LatencyHistogram();
                _loads[provider] = loads;
            }

            loads.Record((long)(seconds * 1_000_000_000)); // the histogram is in seconds (OpenTelemetry's unit "s")
        }
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state) =>
        _totals.AddOrUpdate((instrument.Name, Provider(tags)), value, (_, total) => total + value);

    private static string Provider(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "provider")
            {
                return tag.Value as string ?? "";
            }
        }

        return "";
    }
}
