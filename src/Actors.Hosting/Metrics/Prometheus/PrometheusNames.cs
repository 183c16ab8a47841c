using System.Text;

namespace Actors.Hosting.Metrics.Prometheus;

/// <summary>
/// Turns instrument names, units and tag keys into Prometheus names, following OpenTelemetry's Prometheus
/// compatibility rules: dots become underscores, the unit is appended as a word (<c>ms</c> -> <c>_milliseconds</c>,
/// <c>By</c> -> <c>_bytes</c>, annotations such as <c>{call}</c> add nothing) unless the name already ends with it,
/// and counters end in <c>_total</c>.
/// </summary>
public static class PrometheusNames
{
    /// <summary>The metric name of <paramref name="family"/> (without <c>_bucket</c>/<c>_sum</c>/<c>_count</c>).</summary>
    public static string MetricName(MetricFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        string name = Sanitize(family.Name, allowColon: true);
        string unit = UnitWord(family.Unit, family.Kind);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        if (family.Kind == MetricKind.Counter)
        {
            name = name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
        }

        return name;
    }

    /// <summary>A label name for a tag key: invalid characters become underscores; a leading digit gets one too.</summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>The unit as a Prometheus name word: <c>milliseconds</c>, <c>bytes</c>, <c>ratio</c>; empty for annotations and no unit.</summary>
    public static string UnitWord(string unit, MetricKind kind)
    {
        ArgumentNullException.ThrowIfNull(unit);
        string stripped = StripAnnotations(unit);
        return stripped switch
        {
            "" => "",
            "1" => kind == MetricKind.Gauge ? "ratio" : "",
            "ms" => "milliseconds",
            "s" => "seconds",
            "us" => "microseconds",
            "ns" => "nanoseconds",
            "min" => "minutes",
            "h" => "hours",
            "d" => "days",
            "By" => "bytes",
            "KiBy" => "kibibytes",
            "MiBy" => "mebibytes",
            "GiBy" => "gibibytes",
            "By/s" => "bytes_per_second",
            "%" => "percent",
            "Hz" => "hertz",
            _ when stripped.Contains('/', StringComparison.Ordinal) => Sanitize(stripped.Replace("/", "_per_", StringComparison.Ordinal), allowColon: false),
            _ => Sanitize(stripped, allowColon: false),
        };
    }

    private static string StripAnnotations(string unit)
    {
        var result = new StringBuilder(unit.Length);
        int depth = 0;
        foreach (char c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                result.Append(c);
            }
        }

        return result.ToString().Trim();
    }

    private static string Sanitize(string text, bool allowColon)
    {
        var result = new StringBuilder(text.Length + 1);
        foreach (char c in text)
        {
            bool valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (allowColon && c == ':');
            char next = valid ? c : '_';
            if (next == '_' && result.Length > 0 && result[^1] == '_')
            {
                continue;
            }

            result.Append(next);
        }

        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }
}
