namespace Actors.Persistence.Wal;

/// <summary>
/// Opts a grain class into write-ahead logging: its journal (for a <c>JournaledGrain</c>) and its persistent
/// states live in the grain's own stream of the named store's log.
/// </summary>
/// <remarks>
/// Without <see cref="StoreName"/> the default store is used. The checkpoint settings override the store's
/// defaults for this grain class; a negative value (the default) means "use the store's setting".
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class WriteAheadLogAttribute : Attribute
{
    /// <summary>The store name; null for the default store.</summary>
    public string? StoreName { get; set; }

    /// <summary>Checkpoint after this many events; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public int CheckpointEveryEvents { get; set; } = -1;

    /// <summary>Checkpoint after this many event bytes; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public long CheckpointEveryBytes { get; set; } = -1;
}
