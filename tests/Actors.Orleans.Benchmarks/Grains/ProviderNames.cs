namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>The names the benchmark's silo registers its providers under (the grains name them in attributes).</summary>
public static class ProviderNames
{
    /// <summary>The write-ahead log's grain storage.</summary>
    public const string WalStorage = "wal";

    /// <summary>The write-ahead log's log-consistency provider for journaled grains.</summary>
    public const string WalLogConsistency = "wal";

    /// <summary>
    /// A second instance of the write-ahead log's log-consistency provider whose checkpoint interval leaves a whole history
    /// after the latest checkpoint (the activation section's grains).
    /// </summary>
    public const string WalReplayLogConsistency = "wal-replay";

    /// <summary>Orleans's ADO.NET grain storage on PostgreSQL.</summary>
    public const string PostgreSql = "postgresql";

    /// <summary>Orleans's StateStorage log-consistency provider (stores the view, over <see cref="PostgreSql"/>).</summary>
    public const string StateStorage = "statestorage";

    /// <summary>Orleans's LogStorage log-consistency provider (stores the whole event list, over <see cref="PostgreSql"/>).</summary>
    public const string LogStorage = "logstorage";

    /// <summary>Orleans's StateStorage log-consistency provider over <see cref="Memory"/> (not durable).</summary>
    public const string MemoryStateStorage = "memory-statestorage";

    /// <summary>Orleans's memory grain storage (not durable).</summary>
    public const string Memory = "memory";
}
