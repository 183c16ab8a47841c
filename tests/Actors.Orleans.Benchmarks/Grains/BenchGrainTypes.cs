namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>The Orleans grain type of each benchmark grain class (<c>[GrainType]</c>), so callers address them by id.</summary>
public static class BenchGrainTypes
{
    public const string WalJournaled = "bench-wal-journaled";
    public const string WalReplayJournaled = "bench-wal-replay";
    public const string WalState = "bench-wal-state";
    public const string PostgreSqlState = "bench-pg-state";
    public const string StateStorageJournaled = "bench-pg-statestorage";
    public const string LogStorageJournaled = "bench-pg-logstorage";
    public const string MemoryState = "bench-memory-state";
    public const string MemoryJournaled = "bench-memory-journaled";
}
