namespace Actors.Orleans.Benchmarks.Variants;

/// <summary>What a variant stores its writes in, so the benchmark starts only what the chosen variants need.</summary>
public enum BackingStore
{
    /// <summary>The silo's write-ahead log (Actors.Orleans).</summary>
    WriteAheadLog,

    /// <summary>The PostgreSQL server the benchmark starts, through Orleans's ADO.NET grain storage.</summary>
    PostgreSql,

    /// <summary>Orleans's memory grain storage (not durable).</summary>
    Memory,
}
