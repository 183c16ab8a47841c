using System.Globalization;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>Number formatting for the report tables (invariant culture, fixed units).</summary>
internal static class Fmt
{
    public const string NotRun = "not run";

    public static string Rate(double? opsPerSecond) =>
        opsPerSecond is { } v ? v.ToString(v >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture) : NotRun;

    public static string MBps(double? bytesPerSecond) =>
        bytesPerSecond is { } v ? (v / 1_000_000).ToString("N1", CultureInfo.InvariantCulture) : NotRun;

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(double bytes) =>
        bytes switch
        {
            >= 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
            >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
            >= 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
            _ => bytes.ToString("0", CultureInfo.InvariantCulture) + " B",
        };

    public static string Latency(TimeSpan? value)
    {
        if (value is not { } t)
        {
            return NotRun;
        }

        double us = t.TotalMicroseconds;
        return us switch
        {
            < 10 => us.ToString("0.00", CultureInfo.InvariantCulture) + " µs",
            < 1000 => us.ToString("0", CultureInfo.InvariantCulture) + " µs",
            < 10_000 => (us / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
            < 1_000_000 => (us / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " ms",
            _ => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
        };
    }

    public static string Ratio(double? numerator, double? denominator)
    {
        if (numerator is not { } n || denominator is not { } d || d <= 0)
        {
            return "n/a";
        }

        double r = n / d;
        return r switch
        {
            >= 100 => r.ToString("0", CultureInfo.InvariantCulture) + "×",
            >= 10 => r.ToString("0.0", CultureInfo.InvariantCulture) + "×",
            _ => r.ToString("0.00", CultureInfo.InvariantCulture) + "×",
        };
    }

    public static string Percent(double? numerator, double? denominator)
    {
        if (numerator is not { } n || denominator is not { } d || d <= 0)
        {
            return "n/a";
        }

        return (100 * n / d).ToString("0", CultureInfo.InvariantCulture) + "%";
    }

    public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
}
