using System.Globalization;
using System.Text.RegularExpressions;

namespace Actors.Hosting.Tests.Metrics;

/// <summary>One sample line of an exposition.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One family: its HELP, TYPE and samples.</summary>
public sealed class PrometheusFamily(string name)
{
    public string Name { get; } = name;

    public string? Help { get; set; }

    public string? Type { get; set; }

    public List<PrometheusSample> Samples { get; } = [];
}

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, written for the tests from the format's
/// specification: it throws <see cref="FormatException"/> (with the line number) on anything a Prometheus server would
/// reject or that breaks the format's rules: bad names, bad escapes, duplicate labels, a HELP or TYPE line after the
/// family's samples or given twice, a family's samples not contiguous, histogram buckets not cumulative, a missing
/// <c>+Inf</c> bucket, <c>_count</c> different from it, a negative counter.
/// </summary>
public static partial class PrometheusTextParser
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyDictionary<string, PrometheusFamily> Parse(string text)
    {
        var families = new Dictionary<string, PrometheusFamily>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        string[] lines = text.Split('\n');
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition must end with a line feed");
        }

        for (int n = 0; n < lines.Length - 1; n++)
        {
            string line = lines[n];
            string where = $"line {n + 1} '{line}'";
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                Match meta = MetaLine().Match(line);
                if (!meta.Success)
                {
                    continue; // a plain comment
                }

                string name = meta.Groups["name"].Value;
                PrometheusFamily family = Family(name);
                if (family.Samples.Count > 0 || closed.Contains(name))
                {
                    throw new FormatException($"{where}: {meta.Groups["kind"].Value} after the family's samples");
                }

                if (meta.Groups["kind"].Value == "HELP")
                {
                    if (family.Help is not null)
                    {
                        throw new FormatException($"{where}: second HELP");
                    }

                    family.Help = Unescape(meta.Groups["rest"].Value, allowQuote: false, where);
                }
                else
                {
                    if (family.Type is not null)
                    {
                        throw new FormatException($"{where}: second TYPE");
                    }

                    if (!Types.Contains(meta.Groups["rest"].Value))
                    {
                        throw new FormatException($"{where}: unknown type");
                    }

                    family.Type = meta.Groups["rest"].Value;
                }

                Switch(name);
                continue;
            }

            PrometheusSample sample = ParseSample(line, where);
            string owner = OwnerOf(sample.Name);
            Switch(owner);
            Family(owner).Samples.Add(sample);
        }

        foreach (PrometheusFamily family in families.Values)
        {
            Check(family);
        }

        return families;

        PrometheusFamily Family(string name)
        {
            if (!families.TryGetValue(name, out PrometheusFamily? family))
            {
                family = new PrometheusFamily(name);
                families.Add(name, family);
            }

            return family;
        }

        string OwnerOf(string sampleName)
        {
            foreach (string suffix in (string[])["_bucket", "_sum", "_count"])
            {
                if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                    && families.TryGetValue(sampleName[..^suffix.Length], out PrometheusFamily? histogram)
                    && histogram.Type is "histogram" or "summary")
                {
                    return histogram.Name;
                }
            }

            return sampleName;
        }

        void Switch(string name)
        {
            if (current == name)
            {
                return;
            }

            if (closed.Contains(name))
            {
                throw new FormatException($"the samples of family {name} are not contiguous");
            }

            if (current is not null)
            {
                closed.Add(current);
            }

            current = name;
        }
    }

    private static PrometheusSample ParseSample(string line, string where)
    {
        Match name = MetricName().Match(line);
        if (!name.Success)
        {
            throw new FormatException($"{where}: bad metric name");
        }

        int i = name.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                Match label = LabelName().Match(line, i);
                if (!label.Success || label.Index != i)
                {
                    throw new FormatException($"{where}: bad label name at {i}");
                }

                i += label.Length;
                if (line[i] != '=' || line[i + 1] != '"')
                {
                    throw new FormatException($"{where}: expected =\" at {i}");
                }

                i += 2;
                int start = i;
                while (line[i] != '"')
                {
                    i += line[i] == '\\' ? 2 : 1;
                }

                string value = Unescape(line[start..i], allowQuote: true, where);
                i++;
                if (!labels.TryAdd(label.Value, value))
                {
                    throw new FormatException($"{where}: duplicate label {label.Value}");
                }

                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException($"{where}: expected , or }} at {i}");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException($"{where}: expected a space before the value");
        }

        string[] rest = line[(i + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2 || (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"{where}: expected a value and an optional integer timestamp");
        }

        return new PrometheusSample(name.Value, labels, ParseValue(rest[0], where));
    }

    private static double ParseValue(string text, string where) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ when FloatValue().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{where}: '{text}' is not a float"),
    };

    private static string Unescape(string text, bool allowQuote, string where)
    {
        var result = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            char next = i + 1 < text.Length ? text[++i] : throw new FormatException($"{where}: trailing backslash");
            result.Append(next switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when allowQuote => '"',
                _ => throw new FormatException($"{where}: invalid escape \\{next}"),
            });
        }

        return result.ToString();
    }

    private static void Check(PrometheusFamily family)
    {
        if (family.Type == "counter" && family.Samples.Any(s => s.Value < 0 || double.IsNaN(s.Value)))
        {
            throw new FormatException($"counter {family.Name} has a negative value");
        }

        if (family.Type != "histogram")
        {
            if (family.Samples.Any(s => s.Name != family.Name))
            {
                throw new FormatException($"family {family.Name} has samples of another name");
            }

            return;
        }

        foreach (IGrouping<string, PrometheusSample> series in family.Samples.GroupBy(s => Key(s.Labels)))
        {
            List<PrometheusSample> buckets = [.. series.Where(s => s.Name == family.Name + "_bucket")];
            if (buckets.Any(b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"histogram {family.Name}: a bucket without le");
            }

            double previousBound = double.NegativeInfinity;
            double previousCount = 0;
            foreach (PrometheusSample bucket in buckets)
            {
                double bound = ParseValue(bucket.Labels["le"], family.Name);
                if (bound <= previousBound || bucket.Value < previousCount)
                {
                    throw new FormatException($"histogram {family.Name}{{{series.Key}}}: buckets are not ascending and cumulative at le={bucket.Labels["le"]}");
                }

                previousBound = bound;
                previousCount = bucket.Value;
            }

            if (!double.IsPositiveInfinity(previousBound))
            {
                throw new FormatException($"histogram {family.Name}{{{series.Key}}}: no +Inf bucket");
            }

            PrometheusSample count = series.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"histogram {family.Name}{{{series.Key}}}: no _count");
            _ = series.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"histogram {family.Name}{{{series.Key}}}: no _sum");
            if (count.Value != previousCount)
            {
                throw new FormatException($"histogram {family.Name}{{{series.Key}}}: _count {count.Value} differs from the +Inf bucket {previousCount}");
            }
        }
    }

    private static string Key(IReadOnlyDictionary<string, string> labels)
        => string.Join(",", labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.*)$")]
    private static partial Regex MetaLine();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex FloatValue();
}
