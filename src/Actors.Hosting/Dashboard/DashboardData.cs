using System.Text.Json;
using Actors.Hosting.Metrics;

namespace Actors.Hosting.Dashboard;

/*
 * GET <dashboard>/data: what the page draws, as JSON.
 *
 *   { "time": <unix ms>, "refreshMs": <n>,
 *     "metrics": [ { "meter", "name", "unit", "description", "kind": "counter"|"gauge"|"histogram",
 *                    "points": [ { "tags": { key: value }, "value": <n>,
 *                                  "bounds": [..], "counts": [..], "count": <n> (histograms only) } ] } ],
 *     "panels": [ { "id", "title", "columns": [..], "rows": [[..]], "chart": { label: <n> }, "note" } ],
 *     "errors": [ "<observable callback failures>" ] }
 *
 * Counters are cumulative totals; the page turns two consecutive answers into rates. Histogram counts are per bucket
 * (not cumulative), one more than the bounds (the last bucket is above the last bound).
 */

/// <summary>Writes the dashboard's data document. See the format comment at the top of this file.</summary>
internal static class DashboardData
{
    public static void Write(Utf8JsonWriter json, MetricsSnapshot snapshot, IEnumerable<DashboardPanel> panels, TimeSpan refresh)
    {
        json.WriteStartObject();
        json.WriteNumber("time", snapshot.Timestamp.ToUnixTimeMilliseconds());
        json.WriteNumber("refreshMs", (long)refresh.TotalMilliseconds);
        json.WriteStartArray("metrics");
        foreach (MetricFamily family in snapshot.Families)
        {
            json.WriteStartObject();
            json.WriteString("meter", family.MeterName);
            json.WriteString("name", family.Name);
            json.WriteString("unit", family.Unit);
            json.WriteString("description", family.Description);
            json.WriteString("kind", family.Kind switch
            {
                MetricKind.Counter => "counter",
                MetricKind.Histogram => "histogram",
                _ => "gauge",
            });
            json.WriteStartArray("points");
            foreach (MetricPoint point in family.Points)
            {
                WritePoint(json, point);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("panels");
        foreach (DashboardPanel panel in panels)
        {
            WritePanel(json, panel);
        }

        json.WriteEndArray();
        json.WriteStartArray("errors");
        foreach (string error in snapshot.ObservationErrors)
        {
            json.WriteStringValue(error);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter json, MetricPoint point)
    {
        json.WriteStartObject();
        json.WriteStartObject("tags");
        foreach ((string key, string value) in point.Tags)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        WriteNumber(json, "value", point.Value);
        if (point.Histogram is { } histogram)
        {
            json.WriteStartArray("bounds");
            foreach (double bound in histogram.Bounds)
            {
                WriteNumber(json, null, bound);
            }

            json.WriteEndArray();
            json.WriteStartArray("counts");
            foreach (long count in histogram.BucketCounts)
            {
                json.WriteNumberValue(count);
            }

            json.WriteEndArray();
            json.WriteNumber("count", histogram.Count);
        }

        json.WriteEndObject();
    }

    private static void WritePanel(Utf8JsonWriter json, DashboardPanel panel)
    {
        json.WriteStartObject();
        json.WriteString("id", panel.Id);
        json.WriteString("title", panel.Title);
        json.WriteStartArray("columns");
        foreach (string column in panel.Columns)
        {
            json.WriteStringValue(column);
        }

        json.WriteEndArray();
        json.WriteStartArray("rows");
        foreach (IReadOnlyList<string> row in panel.Rows)
        {
            json.WriteStartArray();
            foreach (string cell in row)
            {
                json.WriteStringValue(cell);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteStartObject("chart");
        foreach ((string label, double value) in panel.Chart)
        {
            WriteNumber(json, label, value);
        }

        json.WriteEndObject();
        if (panel.Note is not null)
        {
            json.WriteString("note", panel.Note);
        }

        json.WriteEndObject();
    }

    /// <summary>JSON has no NaN or infinity: those are written as null.</summary>
    private static void WriteNumber(Utf8JsonWriter json, string? name, double value)
    {
        if (name is not null)
        {
            json.WritePropertyName(name);
        }

        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
