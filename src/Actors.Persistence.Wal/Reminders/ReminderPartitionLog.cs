using Actors.Reminders;

namespace Actors.Persistence.Wal.Reminders;

/// <summary>
/// One partition of the write-ahead-log reminder table: its rows (loaded from the partition's stream), the stream
/// version they reflect, and the queue of writes waiting for the partition's single writer.
/// </summary>
/// <remarks>
/// <see cref="Sync"/> guards every field. Writes queue here and one drain loop appends all queued writes as one batch
/// (one durable append for many registrations or ticks), so writes of a partition apply in queue order.
/// </remarks>
internal sealed class ReminderPartitionLog(int number)
{
    public object Sync { get; } = new();

    public int Number { get; } = number;

    public string StreamId { get; } = WriteAheadLogReminderTable.StreamOf(number);

    public SemaphoreSlim LoadGate { get; } = new(1, 1);

    public Dictionary<(GrainId, string), ReminderEntry> Rows { get; } = [];

    /// <summary>False until the rows are read, and again after a write whose outcome is unknown (the next use re-reads the stream).</summary>
    public bool Loaded { get; set; }

    /// <summary>The stream version the rows reflect.</summary>
    public long Version { get; set; }

    /// <summary>Events appended since the latest checkpoint (replayed by the next load).</summary>
    public int EventsSinceCheckpoint { get; set; }

    public List<ReminderWrite> Queue { get; set; } = [];

    /// <summary>A drain loop is running.</summary>
    public bool Writing { get; set; }
}
