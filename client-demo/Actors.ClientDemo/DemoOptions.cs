using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Actors.ClientDemo;

/// <summary>The demo's command line (and, for the gateway, the <c>ACTORS__CLIENT__...</c> environment docker-compose sets).</summary>
internal sealed class DemoOptions
{
    public const string Usage = """
        Usage: dotnet run --project client-demo/Actors.ClientDemo [-- options]

        With no --gateway: starts a real silo process on a local data directory, runs the bank workload through the
        gateway, SIGKILLs the silo mid-load, restarts it on the same directory and verifies every acknowledged operation.
        With --gateway (or ACTORS__CLIENT__GATEWAYS__0, __1, ...): runs the workload against that silo or cluster and
        verifies it (no kill).

          --gateway host:port   use a running silo; repeat it for the gateways of a cluster (secret: --secret or ACTORS__CLIENT__SECRET)
          --secret text         the gateway's shared secret
          --data-dir path       the local silo's data directory (default ./.actors-data/demo; wiped at start)
          --accounts n          bank accounts (default 20)
          --customers n         customers with persistent state (default 8)
          --workers n           concurrent callers (default 8)
          --duration seconds    load before the kill / total load in gateway mode (default 5)
          --operations n        stop (gateway mode) or kill (local mode) after n acknowledged operations instead
          --seed n              random seed (default 1)
          --silo-logs           echo the silo's log lines
          --verbose             print the stack trace of an error
        """;

    /// <summary>The first gateway (null: local mode, the demo starts its own silo).</summary>
    public string? Gateway => Gateways.Count > 0 ? Gateways[0] : null;

    /// <summary>Every gateway given (<c>--gateway</c> repeated, or <c>ACTORS__CLIENT__GATEWAYS__0</c>, <c>__1</c>, ...): the client fails over between them.</summary>
    public List<string> Gateways { get; private set; } = [];

    public string? Secret { get; private set; }

    public string? DataDirectory { get; private set; }

    public int Accounts { get; private set; } = 20;

    public int Customers { get; private set; } = 8;

    public int Workers { get; private set; } = 8;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(5);

    public long? Operations { get; private set; }

    public int Seed { get; private set; } = 1;

    public bool SiloLogs { get; private set; }

    public bool Verbose { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; the gateway and secret default to the <c>Actors:Client</c> environment configuration.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value.</exception>
    public static DemoOptions Parse(string[] args)
    {
        IConfigurationSection client = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection("Actors:Client");
        var options = new DemoOptions
        {
            Gateways = [.. client.GetSection("Gateways").GetChildren().OrderBy(c => int.TryParse(c.Key, out int i) ? i : int.MaxValue).Select(c => c.Value).OfType<string>().Where(v => v.Length > 0)],
            Secret = client["Secret"] is { Length: > 0 } secret ? secret : null,
        };
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "--gateway": options.Gateways.Add(Value()); break;
                case "--secret": options.Secret = Value(); break;
                case "--data-dir": options.DataDirectory = Value(); break;
                case "--accounts": options.Accounts = Positive(arg, Value(), 2); break;
                case "--customers": options.Customers = Positive(arg, Value(), 0); break;
                case "--workers": options.Workers = Positive(arg, Value(), 1); break;
                case "--duration": options.Duration = TimeSpan.FromSeconds(Positive(arg, Value(), 1)); break;
                case "--operations": options.Operations = Positive(arg, Value(), 1); break;
                case "--seed": options.Seed = Positive(arg, Value(), 0); break;
                case "--silo-logs": options.SiloLogs = true; break;
                case "--verbose": options.Verbose = true; break;
                case "--help" or "-h": options.Help = true; break;
                default: throw new ArgumentException($"Unknown option '{arg}'.");
            }
        }

        return options;
    }

    private static int Positive(string option, string text, int minimum) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum
            ? value
            : throw new ArgumentException($"{option} must be an integer of at least {minimum}; it is '{text}'.");
}
