using System.Globalization;

namespace Actors.Orleans.Benchmarks.Reporting;

/// <summary>How figures are printed: durations with a unit that keeps 3 significant digits, rates grouped by thousands.</summary>
public static class Fmt
{
    public static string Duration(double nanoseconds) => nanoseconds switch
    {
        >= 1e9 => Invariant($"{nanoseconds / 1e9:0.00} s"),
        >= 1e7 => Invariant($"{nanoseconds / 1e6:0.0} ms"),
        >= 1e6 => Invariant($"{nanoseconds / 1e6:0.00} ms"),
        >= 1e4 => Invariant($"{nanoseconds / 1e3:0} µs"),
        _ => Invariant($"{nanoseconds / 1e3:0.0} µs"),
    };

    public static string Rate(double perSecond) => Invariant($"{perSecond:#,0}");

    public static string Count(long count) => Invariant($"{count:#,0}");

    public static string Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Invariant($"{Statistics.Median(values):0.00}");
    }

    public static string Invariant(FormattableString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToString(CultureInfo.InvariantCulture);
    }
}
