using System.Globalization;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Options;

/// <summary>Reads <see cref="BenchOptions"/> from <c>--name value</c> pairs; <c>--help</c> prints <see cref="Usage"/>.</summary>
public static class BenchOptionsParser
{
    public const string Usage = """
        usage: Actors.Orleans.Benchmarks [options]
               Actors.Orleans.Benchmarks cold-million [options]   (cold activations among 1,000,000 streams: cold-million --help)
          --seconds S               measured seconds per variant per round (default 10)
          --warmup S                untimed seconds before each measured period (default 1)
          --rounds N                interleaved rounds; figures are medians over rounds (default 5)
          --callers N               closed-loop callers, each on its own grain (default 256)
          --variants LIST           comma-separated: wal-journaled, wal-state, pg-state, pg-statestorage,
                                    pg-logstorage, memory, memory-journaled, or all (default all: every
                                    one but memory-journaled)
          --sections LIST           comma-separated: throughput, history, activation, sustained, cluster, or
                                    all (default all = throughput,history,activation)
          --replication-factor N    cluster: the three silos' replication factor (default 3; the library
                                    refuses what it does not support yet, naming the setting)
          --follower-apply-delay-ms MS
                                    cluster: the replicas' ReplicaOptions.FollowerApplyDelay (default: the
                                    library's; 0 applies every burst of committed entries at once)
          --partitions N            cluster: the replicating silos' PartitionCount (default: the library's)
          --cluster-baseline B      cluster: on (default) also measures the one unreplicated silo; off
                                    measures the replicating silos only (CPU and bytes per call, no ratio)
          --callers-from LIST       cluster: where the callers run, comma-separated: silo (default; the one
                                    silo's calls are in-process, the replicating silos' callers use the first
                                    silo's grain factory) or client (an Orleans client in this process calls
                                    through the silos' gateways over loopback); silo,client measures both
          --minutes M               sustained: minutes of windows, the variants in turn (default 30)
          --window-seconds S        sustained: seconds per window (default 10)
          --sustained-warmup S      sustained: seconds each variant runs untimed before the first window (default 10; 0: none)
          --journal-history H       keep-all or reclaim: what the WAL journaled grains' log keeps of
                                    checkpointed events (reclaim: retention holds the log flat; default keep-all)
          --csv FILE                sustained: write every window as CSV to FILE (for the plot)
          --payload-bytes N         bytes per event or state payload (default 100)
          --wal-history LIST        events of history per grain for the WAL journaled grain (default 0,1000,10000)
          --logstorage-history LIST events of history per grain for the LogStorage grain (default 0,1000)
          --activation-grains N     grains deactivated and called once per round (default 256)
          --activation-events N     events after the latest checkpoint of each such grain (default 1000)
          --checkpoint-every N      WAL journaled grains checkpoint every N events (default 100)
          --data-root DIR           parent of the run's temp directory (default the system temp)
          --pg-port N               PostgreSQL loopback port (default: a free one)
        """;

    /// <summary>Returns the options, or null when <c>--help</c> was asked for.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                return null;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"option {name} needs a value");
            }

            string value = args[++i];
            Apply(options, name, value);
        }

        return options;
    }

    private static void Apply(BenchOptions options, string name, string value)
    {
        switch (name)
        {
            case "--seconds": options.SecondsPerRound = Positive(name, double.Parse(value, CultureInfo.InvariantCulture)); break;
            case "--warmup": options.WarmupSeconds = NotNegative(name, double.Parse(value, CultureInfo.InvariantCulture)); break;
            case "--rounds": options.Rounds = (int)Positive(name, Int(value)); break;
            case "--callers": options.Callers = (int)Positive(name, Int(value)); break;
            case "--variants": options.Variants = VariantCatalog.Parse(value); break;
            case "--sections": options.Sections = Sections(value); break;
            case "--payload-bytes": options.PayloadBytes = (int)Positive(name, Int(value)); break;
            case "--wal-history": options.WalHistories = Ints(name, value); break;
            case "--logstorage-history": options.LogStorageHistories = Ints(name, value); break;
            case "--activation-grains": options.ActivationGrains = (int)Positive(name, Int(value)); break;
            case "--activation-events": options.ActivationEvents = (int)NotNegative(name, Int(value)); break;
            case "--checkpoint-every": options.CheckpointEveryEvents = (int)Positive(name, Int(value)); break;
            case "--minutes": options.SustainedMinutes = Positive(name, double.Parse(value, CultureInfo.InvariantCulture)); break;
            case "--sustained-warmup": options.SustainedWarmupSeconds = NotNegative(name, double.Parse(value, CultureInfo.InvariantCulture)); break;
            case "--window-seconds": options.WindowSeconds = Positive(name, double.Parse(value, CultureInfo.InvariantCulture)); break;
            case "--journal-history": options.JournalHistory = History(value); break;
            case "--csv": options.CsvPath = value; break;
            case "--data-root": options.DataRoot = value; break;
            case "--replication-factor": options.ReplicationFactor = (int)Positive(name, Int(value)); break;
            case "--follower-apply-delay-ms": options.FollowerApplyDelay = TimeSpan.FromMilliseconds(NotNegative(name, double.Parse(value, CultureInfo.InvariantCulture))); break;
            case "--partitions": options.PartitionCount = (int)Positive(name, Int(value)); break;
            case "--cluster-baseline": options.ClusterBaseline = OnOff(name, value); break;
            case "--callers-from": options.CallersFrom = Placements(name, value); break;
            case "--pg-port": options.PostgreSqlPort = (int)NotNegative(name, Int(value)); break;
            default: throw new ArgumentException($"unknown option {name}\n{Usage}");
        }
    }

    private static WriteAheadLogHistory History(string value) => value switch
    {
        "keep-all" => WriteAheadLogHistory.KeepAll,
        "reclaim" => WriteAheadLogHistory.ReclaimAfterCheckpoint,
        _ => throw new ArgumentException($"--journal-history '{value}' is not one of keep-all, reclaim"),
    };

    private static bool OnOff(string name, string value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => throw new ArgumentException($"{name} '{value}' is not one of on, off"),
    };

    private static CallerPlacement[] Placements(string name, string value)
    {
        CallerPlacement[] placements = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p switch
            {
                "silo" => CallerPlacement.Silo,
                "client" => CallerPlacement.Client,
                _ => throw new ArgumentException($"{name} '{p}' is not one of silo, client"),
            })
            .Distinct()
            .ToArray();
        return placements.Length > 0 ? placements : throw new ArgumentException($"{name} names no placement");
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double Positive(string name, double value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive");

    private static double NotNegative(string name, double value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative");

    private static int[] Ints(string name, string value) =>
        value.Trim() == "none"
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => (int)NotNegative(name, Int(v)))
                .ToArray();

    private static BenchSection Sections(string value)
    {
        BenchSection sections = BenchSection.None;
        foreach (string section in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            sections |= section switch
            {
                "throughput" => BenchSection.Throughput,
                "history" => BenchSection.History,
                "activation" => BenchSection.Activation,
                "sustained" => BenchSection.Sustained,
                "cluster" => BenchSection.Cluster,
                "all" => BenchSection.All,
                _ => throw new ArgumentException($"unknown section '{section}'; known: throughput, history, activation, sustained, cluster, all"),
            };
        }

        return sections != BenchSection.None ? sections : throw new ArgumentException("--sections names no section");
    }
}
