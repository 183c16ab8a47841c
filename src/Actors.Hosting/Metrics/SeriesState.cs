using System.Globalization;

namespace Actors.Hosting.Metrics;

/// <summary>
/// The running value of one series (one tag set) of a family: a total or last value, or histogram buckets. Updated
/// lock-free from measurement callbacks on any thread; read by <see cref="MetricsCollector.Collect"/>.
/// </summary>
internal sealed class SeriesState
{
    private readonly (string Key, object? Value)[] _rawTags;
    private readonly double[]? _bounds;
    private readonly long[]? _bucketCounts;
    private double _value;

    public SeriesState(ReadOnlySpan<KeyValuePair<string, object?>> tags, double[]? bounds)
    {
        _rawTags = new (string, object?)[tags.Length];
        var rendered = new KeyValuePair<string, string>[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            _rawTags[i] = (tags[i].Key, tags[i].Value);
            rendered[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(rendered, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        Tags = rendered;
        _bounds = bounds;
        _bucketCounts = bounds is null ? null : new long[bounds.Length + 1];
    }

    /// <summary>The tags sorted by key, values as invariant strings.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

    /// <summary>True when this collection's observable callbacks reported the series (observable families only).</summary>
    public bool Observed { get; set; }

    /// <summary>True when the measurement's tags are this series' tags (same keys and equal values, in any order).</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _rawTags.Length)
        {
            return false;
        }

        foreach (KeyValuePair<string, object?> tag in tags)
        {
            bool found = false;
            foreach ((string key, object? value) in _rawTags)
            {
                if (key == tag.Key)
                {
                    found = Equals(value, tag.Value);
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds to the total (counters, up-down counters, and observable values summed within one collection).</summary>
    public void Add(double value)
    {
        double current = Volatile.Read(ref _value);
        while (true)
        {
            double seen = Interlocked.CompareExchange(ref _value, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Replaces the value (synchronous gauges: the last measurement wins).</summary>
    public void Set(double value) => Volatile.Write(ref _value, value);

    /// <summary>Counts one histogram measurement into its bucket (values at a bound go to that bound's bucket, as Prometheus' <c>le</c>).</summary>
    public void Record(double value)
    {
        int index = Array.BinarySearch(_bounds!, value);
        Interlocked.Increment(ref _bucketCounts![index >= 0 ? index : ~index]);
        Add(value);
    }

    /// <summary>Resets the value before an observation pass (observable families only).</summary>
    public void ResetObservation()
    {
        Observed = false;
        Volatile.Write(ref _value, 0);
    }

    /// <summary>The series as a snapshot point.</summary>
    public MetricPoint ToPoint()
    {
        double value = Volatile.Read(ref _value);
        if (_bucketCounts is null)
        {
            return new MetricPoint(Tags, value, null);
        }

        long[] counts = new long[_bucketCounts.Length];
        long total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _bucketCounts[i]);
            total += counts[i];
        }

        return new MetricPoint(Tags, value, new HistogramData(_bounds!, counts, total, value));
    }
}
