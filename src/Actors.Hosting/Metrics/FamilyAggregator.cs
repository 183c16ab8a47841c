using System.Diagnostics.Metrics;

namespace Actors.Hosting.Metrics;

/// <summary>
/// The series of one instrument name. Several instruments may feed it (one per log instance, one per silo in a test
/// process): their series with equal tags add up. Push instruments keep their totals after their meter is disposed
/// (a reopened log continues the same counter); observable instruments report only what this collection observed.
/// </summary>
internal sealed class FamilyAggregator
{
    /// <summary>The most series one family keeps; further tag sets share one series tagged <c>otel.metric.overflow=true</c>.</summary>
    public const int MaxSeries = 2000;

    private static readonly KeyValuePair<string, object?>[] OverflowTags = [new("otel.metric.overflow", true)];
    private readonly Lock _gate = new();
    private readonly double[]? _bounds;
    private readonly bool _lastValueWins;
    private SeriesState[] _series = [];
    private SeriesState? _overflow;

    public FamilyAggregator(Instrument instrument, MetricKind kind, bool observable, bool lastValueWins, double[]? bounds)
    {
        MeterName = instrument.Meter.Name;
        Name = instrument.Name;
        Unit = instrument.Unit ?? "";
        Description = instrument.Description ?? "";
        Kind = kind;
        Observable = observable;
        _lastValueWins = lastValueWins;
        _bounds = bounds;
    }

    public string MeterName { get; }

    public string Name { get; }

    public string Unit { get; }

    public string Description { get; }

    public MetricKind Kind { get; }

    /// <summary>True for observable instruments: values exist only for the current collection.</summary>
    public bool Observable { get; }

    /// <summary>Records one measurement.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        SeriesState series = Find(tags);
        if (Kind == MetricKind.Histogram)
        {
            series.Record(value);
        }
        else if (_lastValueWins)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }

        if (Observable)
        {
            series.Observed = true;
        }
    }

    /// <summary>Clears the observed values before the collector asks the observable instruments again.</summary>
    public void BeginObservation()
    {
        foreach (SeriesState series in Volatile.Read(ref _series))
        {
            series.ResetObservation();
        }
    }

    /// <summary>The family as of now, or null when it has no series to report.</summary>
    public MetricFamily? ToFamily()
    {
        List<MetricPoint> points = [];
        foreach (SeriesState series in Volatile.Read(ref _series))
        {
            if (!Observable || series.Observed)
            {
                points.Add(series.ToPoint());
            }
        }

        return points.Count == 0 ? null : new MetricFamily(MeterName, Name, Unit, Description, Kind, points);
    }

    private SeriesState Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (SeriesState series in Volatile.Read(ref _series))
        {
            if (series.Matches(tags))
            {
                return series;
            }
        }

        lock (_gate)
        {
            foreach (SeriesState series in _series)
            {
                if (series.Matches(tags))
                {
                    return series;
                }
            }

            if (_series.Length >= MaxSeries)
            {
                if (_overflow is null)
                {
                    _overflow = new SeriesState(OverflowTags, _bounds);
                    Volatile.Write(ref _series, [.. _series, _overflow]);
                }

                return _overflow;
            }

            var created = new SeriesState(tags, _bounds);
            Volatile.Write(ref _series, [.. _series, created]);
            return created;
        }
    }
}
