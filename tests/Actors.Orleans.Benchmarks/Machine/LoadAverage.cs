using System.Globalization;

namespace Actors.Orleans.Benchmarks.Machine;

/// <summary>The first three fields of <c>/proc/loadavg</c> (1, 5 and 15 minutes), read when a figure is taken.</summary>
public readonly record struct LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    public static LoadAverage Read()
    {
        string[] fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new LoadAverage(Parse(fields[0]), Parse(fields[1]), Parse(fields[2]));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OneMinute:0.00} {FiveMinutes:0.00} {FifteenMinutes:0.00}");

    private static double Parse(string field) => double.Parse(field, CultureInfo.InvariantCulture);
}
