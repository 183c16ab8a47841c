namespace Actors.Persistence.Wal.Reminders;

/// <summary>One queued change to a reminder partition and the caller's completion (an ETag for an upsert, a bool for a remove).</summary>
internal sealed class ReminderWrite(ReminderRecordKind kind, GrainId grainId, string name)
{
    public ReminderRecordKind Kind { get; } = kind;

    public GrainId GrainId { get; } = grainId;

    public string Name { get; } = name;

    public DateTime StartAt { get; init; }

    public TimeSpan Period { get; init; }

    /// <summary>The registration a remove or tick applies to.</summary>
    public string ETag { get; init; } = string.Empty;

    public DateTime TickTime { get; init; }

    public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
