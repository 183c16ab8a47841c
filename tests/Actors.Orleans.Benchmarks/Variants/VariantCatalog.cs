using Actors.Orleans.Benchmarks.Grains;

namespace Actors.Orleans.Benchmarks.Variants;

/// <summary>The six variants of issue 36, in the order the tables list them.</summary>
public static class VariantCatalog
{
    public static readonly BenchVariant WalJournaled = new(
        "wal-journaled", "WAL JournaledGrain", BenchGrainTypes.WalJournaled,
        "RaiseEvent + ConfirmEvents: returns after the event's append is fsynced (SyncPolicy.Always)",
        BackingStore.WriteAheadLog, Journaled: true);

    public static readonly BenchVariant WalState = new(
        "wal-state", "WAL IPersistentState", BenchGrainTypes.WalState,
        "WriteStateAsync: returns after the state's append is fsynced (SyncPolicy.Always)",
        BackingStore.WriteAheadLog, Journaled: false);

    public static readonly BenchVariant PostgreSqlState = new(
        "pg-state", "ADO.NET PostgreSQL IPersistentState", BenchGrainTypes.PostgreSqlState,
        "WriteStateAsync: one autocommit statement; returns after COMMIT (synchronous_commit=on, fsync=on)",
        BackingStore.PostgreSql, Journaled: false);

    public static readonly BenchVariant StateStorageJournaled = new(
        "pg-statestorage", "StateStorage JournaledGrain (PostgreSQL)", BenchGrainTypes.StateStorageJournaled,
        "RaiseEvent + ConfirmEvents: writes view + metadata through the ADO.NET storage; returns after COMMIT",
        BackingStore.PostgreSql, Journaled: true);

    public static readonly BenchVariant LogStorageJournaled = new(
        "pg-logstorage", "LogStorage JournaledGrain (PostgreSQL)", BenchGrainTypes.LogStorageJournaled,
        "RaiseEvent + ConfirmEvents: writes the whole event list through the ADO.NET storage; returns after COMMIT",
        BackingStore.PostgreSql, Journaled: true);

    public static readonly BenchVariant MemoryState = new(
        "memory", "memory IPersistentState (not durable)", BenchGrainTypes.MemoryState,
        "WriteStateAsync into Orleans's memory storage grain: nothing reaches a disk (the ceiling)",
        BackingStore.Memory, Journaled: false);

    public static readonly BenchVariant MemoryJournaled = new(
        "memory-journaled", "memory JournaledGrain (not durable)", BenchGrainTypes.MemoryJournaled,
        "RaiseEvent + ConfirmEvents: StateStorage event sourcing writes the view into Orleans's memory storage grain (the ceiling)",
        BackingStore.Memory, Journaled: true);

    /// <summary>The variants <c>all</c> names (the issue-36 set).</summary>
    public static IReadOnlyList<BenchVariant> All { get; } =
        [WalJournaled, WalState, PostgreSqlState, StateStorageJournaled, LogStorageJournaled, MemoryState];

    /// <summary>Every variant a list may name: <see cref="All"/> and the memory journaled grain (the sustained section's ceiling).</summary>
    public static IReadOnlyList<BenchVariant> Known { get; } = [.. All, MemoryJournaled];

    /// <summary>Parses a comma-separated list of variant keys (or <c>all</c>).</summary>
    public static IReadOnlyList<BenchVariant> Parse(string keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Trim() == "all")
        {
            return All;
        }

        var chosen = new List<BenchVariant>();
        foreach (string key in keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BenchVariant variant = Known.FirstOrDefault(v => v.Key == key)
                ?? throw new ArgumentException($"unknown variant '{key}'; known: {string.Join(", ", Known.Select(v => v.Key))}, all");
            if (!chosen.Contains(variant))
            {
                chosen.Add(variant);
            }
        }

        return chosen.Count > 0 ? chosen : throw new ArgumentException("--variants names no variant");
    }
}
