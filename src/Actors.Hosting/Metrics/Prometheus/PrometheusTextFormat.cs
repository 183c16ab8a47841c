using System.Globalization;
using System.Text;

namespace Actors.Hosting.Metrics.Prometheus;

/*
 * Prometheus text exposition format, version 0.0.4 (what every Prometheus server and agent scrapes):
 *
 *   # HELP <name> <description, with \\ and \n escaped>
 *   # TYPE <name> counter|gauge|histogram
 *   <name>{<label>="<value, with \\ \" \n escaped>",...} <value>
 *
 * One HELP and one TYPE line per family, then its samples. Histograms write, per series, one cumulative
 * <name>_bucket{...,le="<bound>"} line per bound and le="+Inf", then <name>_sum and <name>_count (equal to the +Inf
 * bucket). Values are invariant floats: NaN, +Inf, -Inf. The unit is part of the name (..._milliseconds) and is
 * repeated in HELP as "(unit: ms)".
 */

/// <summary>Writes a <see cref="MetricsSnapshot"/> in the Prometheus text exposition format 0.0.4. See the format comment at the top of this file.</summary>
public static class PrometheusTextFormat
{
    /// <summary>The HTTP content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The exposition of <paramref name="snapshot"/>.</summary>
    public static string Write(MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder(16 * 1024);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (MetricFamily family in snapshot.Families)
        {
            string name = PrometheusNames.MetricName(family);
            if (!written.Add(name))
            {
                text.Append("# skipped ").Append(family.MeterName).Append('/').Append(family.Name).Append(": its Prometheus name ").Append(name).Append(" is already used\n");
                continue;
            }

            string help = family.Description.Length == 0 ? family.Name : family.Description;
            if (family.Unit.Length > 0)
            {
                help += $" (unit: {family.Unit})";
            }

            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(family.Kind switch
            {
                MetricKind.Counter => "counter",
                MetricKind.Histogram => "histogram",
                _ => "gauge",
            }).Append('\n');
            foreach (MetricPoint point in family.Points)
            {
                if (point.Histogram is { } histogram)
                {
                    WriteHistogram(text, name, point, histogram);
                }
                else
                {
                    Sample(text, name, point.Tags, null, point.Value);
                }
            }
        }

        foreach (string error in snapshot.ObservationErrors)
        {
            text.Append("# observation failed: ").Append(error.ReplaceLineEndings(" ")).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A sample value as the format writes it.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("F0", CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void WriteHistogram(StringBuilder text, string name, MetricPoint point, HistogramData histogram)
    {
        long cumulative = 0;
        for (int i = 0; i < histogram.Bounds.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            Sample(text, name + "_bucket", point.Tags, FormatValue(histogram.Bounds[i]), cumulative);
        }

        Sample(text, name + "_bucket", point.Tags, "+Inf", histogram.Count);
        Sample(text, name + "_sum", point.Tags, null, histogram.Sum);
        Sample(text, name + "_count", point.Tags, null, histogram.Count);
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> tags, string? le, double value)
    {
        text.Append(name);
        if (tags.Count > 0 || le is not null)
        {
            text.Append('{');
            bool first = true;
            foreach ((string key, string tagValue) in tags)
            {
                if (!first)
                {
                    text.Append(',');
                }

                first = false;
                text.Append(PrometheusNames.LabelName(key)).Append("=\"").Append(EscapeLabel(tagValue)).Append('"');
            }

            if (le is not null)
            {
                text.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    private static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string text) => EscapeHelp(text).Replace("\"", "\\\"", StringComparison.Ordinal);
}
