using System.Globalization;

namespace Actors.Orleans.ClientDemo;

/// <summary>The demo's command line.</summary>
internal sealed class DemoArguments
{
    public const string Usage = """
        Usage: dotnet run --project client-demo/Actors.Orleans.ClientDemo [-- options]

        Starts the Orleans silo (silo/Actors.Orleans.Silo) as a process on a local data directory, runs the bank workload
        through the Orleans client, SIGKILLs the silo mid-load, restarts it on the same directory and verifies every
        acknowledged call. Prints one VERDICT line; exit code 0 only when everything matched.

          --data-dir path       the silo's data directory (default ./.actors-data/orleans-demo; wiped at start)
          --accounts n          journaled bank accounts (default 20)
          --customers n         customers with two persistent states (default 8)
          --workers n           concurrent callers (default 8)
          --duration seconds    load before the kill (default 5)
          --operations n        kill after n acknowledged calls instead
          --seed n              random seed (default 1)
          --silo-logs           echo the silo's output
        """;

    public string DataDirectory { get; private set; } = Path.Combine(".actors-data", "orleans-demo");

    public int Accounts { get; private set; } = 20;

    public int Customers { get; private set; } = 8;

    public int Workers { get; private set; } = 8;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(5);

    public long? Operations { get; private set; }

    public int Seed { get; private set; } = 1;

    public bool SiloLogs { get; private set; }

    public bool Help { get; private set; }

    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names it.</exception>
    public static DemoArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new DemoArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            string Next() => ++i < args.Count ? args[i] : throw new ArgumentException($"{option} needs a value.");
            int Number(int minimum) => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= minimum
                ? n
                : throw new ArgumentException($"{option} takes a whole number of at least {minimum}; it was given '{args[i]}'.");
            switch (option)
            {
                case "--data-dir": parsed.DataDirectory = Next(); break;
                case "--accounts": parsed.Accounts = Number(2); break;
                case "--customers": parsed.Customers = Number(0); break;
                case "--workers": parsed.Workers = Number(1); break;
                case "--duration": parsed.Duration = TimeSpan.FromSeconds(Number(1)); break;
                case "--operations": parsed.Operations = Number(1); break;
                case "--seed": parsed.Seed = Number(0); break;
                case "--silo-logs": parsed.SiloLogs = true; break;
                case "--help" or "-h": parsed.Help = true; break;
                default: throw new ArgumentException($"Unknown option '{option}'.");
            }
        }

        return parsed;
    }
}
