namespace Actors.Orleans.Benchmarks.Options;

/// <summary>The parts of the benchmark (<c>--sections</c>).</summary>
[Flags]
public enum BenchSection
{
    None = 0,

    /// <summary>Calls/s, p50 and p99 of every chosen variant, interleaved rounds.</summary>
    Throughput = 1,

    /// <summary>Cost per call with a history of events per grain (journaled variants).</summary>
    History = 2,

    /// <summary>First call to a deactivated journaled grain with a checkpoint and later events.</summary>
    Activation = 4,

    /// <summary>
    /// The variants in turn, one window each, for minutes: every window printed with what the log and its maintenance did
    /// (not part of <see cref="All"/>: <c>--sections sustained</c>).
    /// </summary>
    Sustained = 8,

    /// <summary>
    /// Three replicating silos (in this process, PostgreSQL membership and partition rows) beside the one unreplicated
    /// silo, the WAL variants on each, interleaved rounds (not part of <see cref="All"/>: <c>--sections cluster</c>).
    /// </summary>
    Cluster = 16,

    All = Throughput | History | Activation,
}
