using System.Diagnostics.Metrics;
using Actors.Hosting.Metrics;

namespace Actors.Hosting.Tests.Metrics;

public sealed class MetricsCollectorTests
{
    private readonly string _prefix = $"actors.test{Guid.NewGuid():N}";

    private MetricsCollector NewCollector() => new(new MetricsOptions { Meters = ["Actors.Test.*"] });

    private Meter NewMeter() => new($"Actors.Test.{Guid.NewGuid():N}");

    [Fact]
    public void Collect_CounterWithTags_SumsPerTagSetWhateverTheTagOrder()
    {
        using MetricsCollector collector = NewCollector();
        using Meter meter = NewMeter();
        Counter<long> counter = meter.CreateCounter<long>($"{_prefix}.calls", "{call}", "Calls.");

        counter.Add(2, new("grain.type", "account"), new("store", "Default"));
        counter.Add(3, new("store", "Default"), new("grain.type", "account"));
        counter.Add(5, new KeyValuePair<string, object?>("grain.type", "customer"), new("store", "Default"));

        MetricFamily family = collector.Collect().Find($"{_prefix}.calls")!;
        Assert.Equal(MetricKind.Counter, family.Kind);
        Assert.Equal("{call}", family.Unit);
        Assert.Equal(5, Value(family, "grain.type", "account"));
        Assert.Equal(5, Value(family, "grain.type", "customer"));
        Assert.Equal(2, family.Points.Count);
    }

    [Fact]
    public void Collect_HistogramInMilliseconds_CountsEachValueInTheBucketOfItsUpperBound()
    {
        using MetricsCollector collector = NewCollector();
        using Meter meter = NewMeter();
        Histogram<double> histogram = meter.CreateHistogram<double>($"{_prefix}.fsync", "ms");

        histogram.Record(0.1);    // exactly a bound: counted in le=0.1
        histogram.Record(0.15);   // le=0.2
        histogram.Record(70_000); // above every bound: +Inf

        HistogramData data = collector.Collect().Find($"{_prefix}.fsync")!.Points.Single().Histogram!;
        Assert.Equal(HistogramBuckets.Milliseconds, data.Bounds);
        Assert.Equal(1, data.BucketCounts[IndexOf(data.Bounds, 0.1)]);
        Assert.Equal(1, data.BucketCounts[IndexOf(data.Bounds, 0.2)]);
        Assert.Equal(1, data.BucketCounts[^1]);
        Assert.Equal(3, data.Count);
        Assert.Equal(70_000.25, data.Sum, 6);
    }

    [Fact]
    public void Collect_HistogramWithAdvice_UsesTheAdvisedBounds()
    {
        using MetricsCollector collector = NewCollector();
        using Meter meter = NewMeter();
        Histogram<int> histogram = meter.CreateHistogram<int>($"{_prefix}.sizes", "{item}", null, null,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = [10, 100] });

        histogram.Record(50);

        HistogramData data = collector.Collect().Find($"{_prefix}.sizes")!.Points.Single().Histogram!;
        Assert.Equal([10.0, 100.0], data.Bounds);
        Assert.Equal([0L, 1L, 0L], data.BucketCounts);
    }

    [Fact]
    public void Collect_UpDownCounter_IsAGaugeOfTheRunningSum()
    {
        using MetricsCollector collector = NewCollector();
        using Meter meter = NewMeter();
        UpDownCounter<long> active = meter.CreateUpDownCounter<long>($"{_prefix}.active");

        active.Add(3);
        active.Add(-1);

        MetricFamily family = collector.Collect().Find($"{_prefix}.active")!;
        Assert.Equal(MetricKind.Gauge, family.Kind);
        Assert.Equal(2, family.Points.Single().Value);
    }

    [Fact]
    public void Collect_ObservableGauge_ReportsTheCurrentValueAndDropsItWhenTheMeterIsDisposed()
    {
        using MetricsCollector collector = NewCollector();
        Meter meter = NewMeter();
        int segments = 3;
        meter.CreateObservableGauge($"{_prefix}.segments", () => segments);

        Assert.Equal(3, collector.Collect().Find($"{_prefix}.segments")!.Points.Single().Value);
        segments = 7;
        Assert.Equal(7, collector.Collect().Find($"{_prefix}.segments")!.Points.Single().Value);

        meter.Dispose();
        Assert.Null(collector.Collect().Find($"{_prefix}.segments"));
    }

    [Fact]
    public void Collect_CounterOfADisposedMeterAndItsSuccessor_ContinuesTheTotal()
    {
        using MetricsCollector collector = NewCollector();
        using (Meter first = NewMeter())
        {
            first.CreateCounter<long>($"{_prefix}.appends").Add(4);
        }

        using Meter second = NewMeter();
        second.CreateCounter<long>($"{_prefix}.appends").Add(6);

        Assert.Equal(10, collector.Collect().Find($"{_prefix}.appends")!.Points.Single().Value);
    }

    [Fact]
    public void Collect_ObservableCallbackThrows_ReportsTheErrorAndKeepsTheOtherInstruments()
    {
        using MetricsCollector collector = NewCollector();
        using Meter meter = NewMeter();
        meter.CreateObservableGauge($"{_prefix}.broken", new Func<int>(() => throw new ObjectDisposedException("log")));
        meter.CreateObservableGauge($"{_prefix}.fine", () => 1);

        MetricsSnapshot snapshot = collector.Collect();

        Assert.Contains(snapshot.ObservationErrors, e => e.Contains("ObjectDisposedException", StringComparison.Ordinal));
        Assert.Equal(1, snapshot.Find($"{_prefix}.fine")!.Points.Single().Value);
    }

    [Fact]
    public void Collect_MeterNotConfigured_IsIgnored()
    {
        using MetricsCollector collector = NewCollector();
        using var other = new Meter($"Other.{Guid.NewGuid():N}");
        other.CreateCounter<long>($"{_prefix}.elsewhere").Add(1);

        Assert.Null(collector.Collect().Find($"{_prefix}.elsewhere"));
    }

    [Fact]
    public void Collect_SameNameDifferentInstrumentType_KeepsTheFirstAndReportsTheConflict()
    {
        using MetricsCollector collector = NewCollector();
        using Meter meter = NewMeter();
        meter.CreateCounter<long>($"{_prefix}.clash").Add(1);
        meter.CreateHistogram<double>($"{_prefix}.clash").Record(5);

        Assert.Equal(MetricKind.Counter, collector.Collect().Find($"{_prefix}.clash")!.Kind);
        Assert.Contains(collector.Conflicts, c => c.Contains($"{_prefix}.clash", StringComparison.Ordinal));
    }

    [Fact]
    public void Collect_MoreTagSetsThanTheLimit_FoldsTheRestIntoOneOverflowSeries()
    {
        using MetricsCollector collector = NewCollector();
        using Meter meter = NewMeter();
        Counter<long> counter = meter.CreateCounter<long>($"{_prefix}.keys");
        for (int i = 0; i < FamilyAggregator.MaxSeries + 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("key", i));
        }

        MetricFamily family = collector.Collect().Find($"{_prefix}.keys")!;
        Assert.Equal(FamilyAggregator.MaxSeries + 1, family.Points.Count);
        Assert.Equal(10, Value(family, "otel.metric.overflow", "True"));
    }

    private static double Value(MetricFamily family, string key, string value)
        => family.Points.Single(p => p.Tags.Any(t => t.Key == key && t.Value == value)).Value;

    private static int IndexOf(IReadOnlyList<double> bounds, double bound) => bounds.ToList().IndexOf(bound);
}
