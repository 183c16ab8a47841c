using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Options;

/// <summary>The benchmark's settings (command line; <see cref="BenchOptionsParser"/>), printed with every report.</summary>
public sealed class BenchOptions
{
    public const double DefaultSecondsPerRound = 10;
    public const int DefaultRounds = 5;
    public const int DefaultCallers = 256;
    public const int DefaultPayloadBytes = 100;
    public const int DefaultReplicationFactor = 3;

    /// <summary>Measured seconds of each variant in each round.</summary>
    public double SecondsPerRound { get; set; } = DefaultSecondsPerRound;

    /// <summary>Untimed seconds of calls before each variant's measured seconds in each round.</summary>
    public double WarmupSeconds { get; set; } = 1;

    /// <summary>Rounds; each round runs every variant once, in an order that rotates from round to round.</summary>
    public int Rounds { get; set; } = DefaultRounds;

    /// <summary>Closed-loop callers, each on a grain of its own.</summary>
    public int Callers { get; set; } = DefaultCallers;

    /// <summary>Bytes of each event or state payload.</summary>
    public int PayloadBytes { get; set; } = DefaultPayloadBytes;

    /// <summary>The variants of the throughput section.</summary>
    public IReadOnlyList<BenchVariant> Variants { get; set; } = VariantCatalog.All;

    /// <summary>Which sections run.</summary>
    public BenchSection Sections { get; set; } = BenchSection.All;

    /// <summary>Histories (events per grain before measuring) for the WAL journaled grain.</summary>
    public IReadOnlyList<int> WalHistories { get; set; } = [0, 1_000, 10_000];

    /// <summary>Histories for the LogStorage journaled grain (its every write rewrites the whole list).</summary>
    public IReadOnlyList<int> LogStorageHistories { get; set; } = [0, 1_000];

    /// <summary>Grains deactivated and then called once per round in the activation section.</summary>
    public int ActivationGrains { get; set; } = 256;

    /// <summary>Events after the latest checkpoint of each grain in the activation section.</summary>
    public int ActivationEvents { get; set; } = 1_000;

    /// <summary>The WAL log-consistency provider checkpoints after this many events (throughput and history sections).</summary>
    public int CheckpointEveryEvents { get; set; } = 100;

    /// <summary>Minutes the sustained section runs (its windows in turn over the variants).</summary>
    public double SustainedMinutes { get; set; } = 30;

    /// <summary>Seconds each variant runs, untimed, before the sustained section's first window (0: none).</summary>
    public double SustainedWarmupSeconds { get; set; } = 10;

    /// <summary>Seconds of each window of the sustained section.</summary>
    public double WindowSeconds { get; set; } = 10;

    /// <summary>What the WAL journaled grains' log keeps of checkpointed events (reclaim: retention holds the log flat).</summary>
    public WriteAheadLogHistory JournalHistory { get; set; } = WriteAheadLogHistory.KeepAll;

    /// <summary>Where the sustained section writes its windows as CSV (for the plot); null: nowhere.</summary>
    public string? CsvPath { get; set; }

    /// <summary>Parent of the run's temp directory (WAL data, PostgreSQL cluster, fsync probe); default the system temp.</summary>
    public string DataRoot { get; set; } = Path.GetTempPath();

    /// <summary>The cluster section's replication factor (<c>WriteAheadLogReplicationOptions.ReplicationFactor</c>).</summary>
    public int ReplicationFactor { get; set; } = DefaultReplicationFactor;

    /// <summary>The cluster section's <c>ReplicaOptions.FollowerApplyDelay</c>; null: the library's default.</summary>
    public TimeSpan? FollowerApplyDelay { get; set; }

    /// <summary>The cluster section's <c>WriteAheadLogReplicationOptions.PartitionCount</c>; null: the library's default.</summary>
    public int? PartitionCount { get; set; }

    /// <summary>Whether the cluster section also measures the one unreplicated silo (false: the replicating silos only, no ratio).</summary>
    public bool ClusterBaseline { get; set; } = true;

    /// <summary>Where the cluster section's callers run, each placement measured on both topologies (default: in a silo).</summary>
    public IReadOnlyList<CallerPlacement> CallersFrom { get; set; } = [CallerPlacement.Silo];

    /// <summary>The PostgreSQL server's loopback port; 0 picks a free one.</summary>
    public int PostgreSqlPort { get; set; }

    /// <summary>The variants whose history the history section measures (WAL and LogStorage journaled grains among <see cref="Variants"/>).</summary>
    public IEnumerable<(BenchVariant Variant, IReadOnlyList<int> Histories)> HistoryCases()
    {
        if (Variants.Contains(VariantCatalog.WalJournaled) && WalHistories.Count > 0)
        {
            yield return (VariantCatalog.WalJournaled, WalHistories);
        }

        if (Variants.Contains(VariantCatalog.LogStorageJournaled) && LogStorageHistories.Count > 0)
        {
            yield return (VariantCatalog.LogStorageJournaled, LogStorageHistories);
        }
    }

    /// <summary>The journaled variants among <see cref="Variants"/>, whose activation the activation section times.</summary>
    public IEnumerable<BenchVariant> ActivationVariants() => Variants.Where(v => v.Journaled);

    /// <summary>The variants some chosen section runs.</summary>
    public IEnumerable<BenchVariant> VariantsInUse()
    {
        IEnumerable<BenchVariant> used = [];
        if (Sections.HasFlag(BenchSection.Throughput) || Sections.HasFlag(BenchSection.Sustained))
        {
            used = used.Concat(Variants);
        }

        if (Sections.HasFlag(BenchSection.History))
        {
            used = used.Concat(HistoryCases().Select(c => c.Variant));
        }

        if (Sections.HasFlag(BenchSection.Activation))
        {
            used = used.Concat(ActivationVariants());
        }

        if (Sections.HasFlag(BenchSection.Cluster))
        {
            used = used.Concat(ClusterVariants());
        }

        return used.Distinct();
    }

    /// <summary>The WAL variants among <see cref="Variants"/>, which the cluster section runs on both topologies.</summary>
    public IEnumerable<BenchVariant> ClusterVariants() => Variants.Where(v => v.Store == BackingStore.WriteAheadLog);

    /// <summary>Whether some chosen section needs <paramref name="store"/> (the cluster section: the log and PostgreSQL).</summary>
    public bool Needs(BackingStore store) =>
        VariantsInUse().Any(v => v.Store == store)
        || (Sections.HasFlag(BenchSection.Cluster) && store is BackingStore.WriteAheadLog or BackingStore.PostgreSql);
}
