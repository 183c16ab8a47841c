using System.Diagnostics.Metrics;
using Actors.Hosting.Metrics;
using Actors.Hosting.Metrics.Prometheus;

namespace Actors.Hosting.Tests.Metrics;

public sealed class PrometheusTextFormatTests
{
    private readonly string _prefix = $"actors.fmt{Guid.NewGuid():N}";

    [Fact]
    public void Write_EveryKind_ParsesStrictlyWithUnitsInNamesAndHelp()
    {
        using var collector = new MetricsCollector(new MetricsOptions { Meters = ["Actors.Test.*"] });
        using var meter = new Meter($"Actors.Test.{Guid.NewGuid():N}");
        meter.CreateCounter<long>($"{_prefix}.calls", "{call}", "Grain calls completed.").Add(12, new KeyValuePair<string, object?>("grain.type", "account"));
        meter.CreateCounter<long>($"{_prefix}.bytes", "By", "Record bytes written.").Add(4096);
        Histogram<double> fsync = meter.CreateHistogram<double>($"{_prefix}.fsync.duration", "ms", "fsync latency.");
        fsync.Record(0.17, new KeyValuePair<string, object?>("wal.directory", "/data/wal"));
        fsync.Record(3.2, new KeyValuePair<string, object?>("wal.directory", "/data/wal"));
        meter.CreateObservableGauge($"{_prefix}.live_ratio", () => 0.25, "1", "Live bytes / total bytes.");
        meter.CreateUpDownCounter<long>($"{_prefix}.active", "{connection}").Add(2);

        string text = PrometheusTextFormat.Write(collector.Collect());
        IReadOnlyDictionary<string, PrometheusFamily> families = PrometheusTextParser.Parse(text);

        string p = _prefix.Replace('.', '_');
        PrometheusFamily calls = families[$"{p}_calls_total"];
        Assert.Equal("counter", calls.Type);
        Assert.Equal("Grain calls completed. (unit: {call})", calls.Help);
        Assert.Equal(12, calls.Samples.Single(s => s.Labels["grain_type"] == "account").Value);
        Assert.Equal(4096, families[$"{p}_bytes_total"].Samples.Single().Value);

        PrometheusFamily duration = families[$"{p}_fsync_duration_milliseconds"];
        Assert.Equal("histogram", duration.Type);
        Assert.Equal("fsync latency. (unit: ms)", duration.Help);
        Assert.Equal(2, duration.Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value);
        Assert.Equal(1, duration.Samples.Single(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) && s.Labels["le"] == "0.2").Value);
        Assert.Equal(2, duration.Samples.Single(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) && s.Labels["le"] == "5").Value);
        Assert.All(duration.Samples, s => Assert.Equal("/data/wal", s.Labels["wal_directory"]));

        Assert.Equal("gauge", families[$"{p}_live_ratio"].Type);
        Assert.Equal(0.25, families[$"{p}_live_ratio"].Samples.Single().Value);
        Assert.Equal(2, families[$"{p}_active"].Samples.Single().Value);
    }

    [Fact]
    public void Write_LabelValueWithQuotesBackslashesAndNewlines_IsEscapedAndRoundTrips()
    {
        using var collector = new MetricsCollector(new MetricsOptions { Meters = ["Actors.Test.*"] });
        using var meter = new Meter($"Actors.Test.{Guid.NewGuid():N}");
        const string nasty = "C:\\data \"wal\"\nnext";
        meter.CreateCounter<long>($"{_prefix}.odd", null, "Help with \\ and\nnewline.").Add(1, new KeyValuePair<string, object?>("path", nasty));

        IReadOnlyDictionary<string, PrometheusFamily> families = PrometheusTextParser.Parse(PrometheusTextFormat.Write(collector.Collect()));

        PrometheusFamily family = families[$"{_prefix.Replace('.', '_')}_odd_total"];
        Assert.Equal(nasty, family.Samples.Single().Labels["path"]);
        Assert.Equal("Help with \\ and\nnewline.", family.Help);
    }

    [Theory]
    [InlineData("actors.wal.fsync.duration", "ms", MetricKind.Histogram, "actors_wal_fsync_duration_milliseconds")]
    [InlineData("actors.wal.bytes", "By", MetricKind.Counter, "actors_wal_bytes_total")]
    [InlineData("actors.wal.live_bytes", "By", MetricKind.Gauge, "actors_wal_live_bytes")]
    [InlineData("actors.wal.live_ratio", "1", MetricKind.Gauge, "actors_wal_live_ratio")]
    [InlineData("actors.calls", "{call}", MetricKind.Counter, "actors_calls_total")]
    [InlineData("dotnet.process.cpu.time", "s", MetricKind.Counter, "dotnet_process_cpu_time_seconds_total")]
    [InlineData("9lives", "", MetricKind.Gauge, "_9lives")]
    public void MetricName_InstrumentNameAndUnit_FollowsTheOpenTelemetryRules(string name, string unit, MetricKind kind, string expected)
        => Assert.Equal(expected, PrometheusNames.MetricName(new MetricFamily("m", name, unit, "", kind, [])));

    [Fact]
    public void Parser_RejectsWhatPrometheusRejects()
    {
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse("a{x=\"1\",x=\"2\"} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"));
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse("a 1\nb 1\na 2\n"));
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse("a{x=\"\\t\"} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse("a 1\n# TYPE a gauge\n"));
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse("a one\n"));
    }
}
