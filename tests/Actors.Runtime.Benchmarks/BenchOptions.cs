using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>The command line: a command followed by <c>--name value</c> pairs.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private BenchOptions(string command)
    {
        Command = command;
    }

    public string Command { get; }

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("A command comes first.");
        }

        var options = new BenchOptions(args[0]);
        for (int i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' at '{args[i]}'.");
            }

            options._values[args[i][2..]] = args[i + 1];
        }

        return options;
    }

    public int Int(string name, int defaultValue) => _values.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : defaultValue;

    public double Double(string name, double defaultValue) => _values.TryGetValue(name, out string? v) ? double.Parse(v, CultureInfo.InvariantCulture) : defaultValue;

    public string Text(string name, string defaultValue) => _values.TryGetValue(name, out string? v) ? v : defaultValue;

    public TimeSpan Seconds(string name, double defaultSeconds) => TimeSpan.FromSeconds(Double(name, defaultSeconds));
}
