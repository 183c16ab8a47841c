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

        Against running silos instead (containers: docker-compose.yml's demo service):
          --gateways list       host:port of silo gateways, comma-separated (ACTORS_DEMO_GATEWAYS): no silo is started
                                or killed; the load runs for --duration (or --operations), then every acknowledged
                                call is verified through the gateways
          --cluster-id id       Orleans's cluster id (default actors)
          --service-id id       Orleans's service id (default actors)
          --run-id id           prefix of the grain keys (default demo-<UTC time>: each run starts on fresh grains)
          --connect-timeout s   how long the silos may take to accept the client (default 120)
          --response-timeout s  how long a call may wait for its answer before its outcome is unknown (default 30,
                                Orleans's own)
          --membership cs       the Npgsql connection string of Orleans's ADO.NET membership table: the client takes the
                                gateways of the silos listed as active there, re-read every second, instead of the
                                static --gateways list (which never drops a silo stopped with its connections open)

        Against running silos that a script kills (scripts/cluster-kill-campaign.sh):
          --cluster             with --gateways: the load keeps going while silos die; a call without an answer or
                                refused as retryable is of unknown outcome (its grains are read until they serve again,
                                never sent the call twice); commands on standard input (acks N, status, failover T
                                grain..., verify, stop) are answered by CLUSTER lines; stop ends with the VERDICT line
        """;

    /// <summary>The environment variable naming the gateways when <c>--gateways</c> is not given.</summary>
    public const string GatewaysVariable = "ACTORS_DEMO_GATEWAYS";

    public string DataDirectory { get; private set; } = Path.Combine(".actors-data", "orleans-demo");

    public int Accounts { get; private set; } = 20;

    public int Customers { get; private set; } = 8;

    public int Workers { get; private set; } = 8;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(5);

    public long? Operations { get; private set; }

    public int Seed { get; private set; } = 1;

    public bool SiloLogs { get; private set; }

    public bool Help { get; private set; }

    /// <summary>The gateways of running silos (host:port); empty: the demo starts and kills its own silo.</summary>
    public IReadOnlyList<string> Gateways { get; private set; } = [];

    public string ClusterId { get; private set; } = "actors";

    public string ServiceId { get; private set; } = "actors";

    public string RunId { get; private set; } = $"demo-{DateTime.UtcNow:yyyyMMddTHHmmssfff}";

    public TimeSpan ConnectTimeout { get; private set; } = TimeSpan.FromSeconds(120);

    /// <summary>Orleans's response timeout for the client's calls.</summary>
    public TimeSpan ResponseTimeout { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>Orleans's ADO.NET membership table (Npgsql connection string) as the client's gateway list; null: <see cref="Gateways"/>, static.</summary>
    public string? Membership { get; private set; }

    /// <summary>The cluster mode (<see cref="Cluster.ClusterRun"/>).</summary>
    public bool Cluster { get; private set; }

    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names it.</exception>
    public static DemoArguments Parse(IReadOnlyList<string> args, string? gatewaysVariable = null)
    {
        var parsed = new DemoArguments();
        if (!string.IsNullOrWhiteSpace(gatewaysVariable))
        {
            parsed.Gateways = SplitGateways(gatewaysVariable, GatewaysVariable);
        }

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
                case "--gateways": parsed.Gateways = SplitGateways(Next(), option); break;
                case "--cluster-id": parsed.ClusterId = Next(); break;
                case "--service-id": parsed.ServiceId = Next(); break;
                case "--run-id": parsed.RunId = Next(); break;
                case "--connect-timeout": parsed.ConnectTimeout = TimeSpan.FromSeconds(Number(1)); break;
                case "--response-timeout": parsed.ResponseTimeout = TimeSpan.FromSeconds(Number(1)); break;
                case "--membership": parsed.Membership = Next(); break;
                case "--cluster": parsed.Cluster = true; break;
                case "--help" or "-h": parsed.Help = true; break;
                default: throw new ArgumentException($"Unknown option '{option}'.");
            }
        }

        if (parsed.Cluster && parsed.Gateways.Count == 0)
        {
            throw new ArgumentException($"--cluster needs the silos' gateways (--gateways or {GatewaysVariable}).");
        }

        return parsed;
    }

    /// <summary>Splits "host:port,host:port"; each entry must have a host and a port.</summary>
    private static string[] SplitGateways(string value, string source)
    {
        string[] entries = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string entry in entries)
        {
            int colon = entry.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entry.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"{source}: '{entry}' is not host:port (for example silo-0:30000).");
            }
        }

        return entries.Length > 0 ? entries : throw new ArgumentException($"{source} names no gateway.");
    }
}
