using System.Diagnostics.Metrics;

namespace Actors.Hosting.Metrics;

/// <summary>
/// Listens to the silo's <see cref="System.Diagnostics.Metrics"/> instruments (the meters named in
/// <see cref="MetricsOptions.Meters"/>) with a <see cref="MeterListener"/> and keeps their totals, last values and
/// histogram buckets, so that <c>/metrics</c> and the dashboard can read them at any moment.
/// </summary>
/// <remarks>
/// <para>Thread-safe. Measurements are aggregated lock-free on the recording thread; <see cref="Collect"/> also asks the
/// observable instruments for their current values (one collection at a time).</para>
/// <para>The scope is the process, like any <see cref="MeterListener"/> (and OpenTelemetry's exporters): a test process
/// running several silos sees the sum of their instruments. A production silo is one process. Series with the same
/// instrument name and tags from several instruments (a log reopened, two silos) add up. Create the collector before
/// the log opens, or the recovery duration (measured once, at open) is missed.</para>
/// </remarks>
public sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener;
    private readonly IReadOnlyList<string> _meters;
    private readonly Lock _familiesGate = new();
    private readonly Lock _collectGate = new();
    private readonly Dictionary<string, FamilyAggregator> _families = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly List<string> _conflicts = [];

    /// <summary>Creates the collector and starts listening to the meters named by <paramref name="options"/>.</summary>
    public MetricsCollector(MetricsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _meters = options.Meters.Count == 0 ? MetricsOptions.DefaultMeters : [.. options.Meters];
        _time = timeProvider ?? TimeProvider.System;
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<byte>(static (_, v, tags, state) => ((FamilyAggregator)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, v, tags, state) => ((FamilyAggregator)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, v, tags, state) => ((FamilyAggregator)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, v, tags, state) => ((FamilyAggregator)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, v, tags, state) => ((FamilyAggregator)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, v, tags, state) => ((FamilyAggregator)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, v, tags, state) => ((FamilyAggregator)state!).Record((double)v, tags));
        _listener.Start();
    }

    /// <summary>Instruments that were not aggregated because another instrument of the same name has a different type or unit.</summary>
    public IReadOnlyList<string> Conflicts
    {
        get
        {
            lock (_familiesGate)
            {
                return [.. _conflicts];
            }
        }
    }

    /// <summary>Reads every instrument: push instruments' running values, and the observable ones asked now.</summary>
    public MetricsSnapshot Collect()
    {
        lock (_collectGate)
        {
            FamilyAggregator[] families;
            lock (_familiesGate)
            {
                families = [.. _families.Values];
            }

            foreach (FamilyAggregator family in families)
            {
                if (family.Observable)
                {
                    family.BeginObservation();
                }
            }

            List<string> errors = [];
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException ex)
            {
                errors.AddRange(ex.InnerExceptions.Select(e => $"{e.GetType().Name}: {e.Message}"));
            }

            List<MetricFamily> result = [];
            foreach (FamilyAggregator family in families.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                if (family.ToFamily() is { } snapshot)
                {
                    result.Add(snapshot);
                }
            }

            return new MetricsSnapshot(_time.GetUtcNow(), result, errors);
        }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!MetricsOptions.Matches(_meters, instrument.Meter.Name) || Describe(instrument) is not var (kind, observable, lastValueWins))
        {
            return;
        }

        FamilyAggregator family;
        lock (_familiesGate)
        {
            if (_families.TryGetValue(instrument.Name, out FamilyAggregator? existing))
            {
                if (existing.Kind != kind || existing.Observable != observable || existing.Unit != (instrument.Unit ?? ""))
                {
                    _conflicts.Add($"{instrument.Meter.Name}/{instrument.Name} ({instrument.GetType().Name}, unit '{instrument.Unit}') conflicts with {existing.MeterName}/{existing.Name} ({existing.Kind}, unit '{existing.Unit}')");
                    return;
                }

                family = existing;
            }
            else
            {
                double[]? bounds = kind == MetricKind.Histogram ? [.. AdvisedBounds(instrument) ?? HistogramBuckets.ForUnit(instrument.Unit)] : null;
                family = new FamilyAggregator(instrument, kind, observable, lastValueWins, bounds);
                _families.Add(instrument.Name, family);
            }
        }

        listener.EnableMeasurementEvents(instrument, family);
    }

    /// <summary>The Prometheus kind of an instrument, whether it is observable, and whether its last value wins; null for unknown instrument types.</summary>
    private static (MetricKind Kind, bool Observable, bool LastValueWins)? Describe(Instrument instrument)
    {
        Type type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        return definition switch
        {
            _ when definition == typeof(Counter<>) => (MetricKind.Counter, false, false),
            _ when definition == typeof(UpDownCounter<>) => (MetricKind.Gauge, false, false),
            _ when definition == typeof(Histogram<>) => (MetricKind.Histogram, false, false),
            _ when definition == typeof(Gauge<>) => (MetricKind.Gauge, false, true),
            _ when definition == typeof(ObservableCounter<>) => (MetricKind.Counter, true, false),
            _ when definition == typeof(ObservableUpDownCounter<>) => (MetricKind.Gauge, true, false),
            _ when definition == typeof(ObservableGauge<>) => (MetricKind.Gauge, true, false),
            _ => null,
        };
    }

    private static IEnumerable<double>? AdvisedBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } b } => b,
        Histogram<long> { Advice.HistogramBucketBoundaries: { Count: > 0 } b } => b.Select(v => (double)v),
        Histogram<int> { Advice.HistogramBucketBoundaries: { Count: > 0 } b } => b.Select(v => (double)v),
        Histogram<float> { Advice.HistogramBucketBoundaries: { Count: > 0 } b } => b.Select(v => (double)v),
        _ => null,
    };
}
