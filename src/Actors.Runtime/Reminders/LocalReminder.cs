namespace Actors.Reminders;

/// <summary>
/// The reminder service's in-memory state of one reminder row: the registration it schedules and its next tick.
/// Guarded by the service's lock.
/// </summary>
internal sealed class LocalReminder(GrainId grainId, string name)
{
    public GrainId GrainId { get; } = grainId;

    public string Name { get; } = name;

    public DateTime StartAt { get; private set; }

    public TimeSpan Period { get; private set; }

    public string ETag { get; private set; } = string.Empty;

    /// <summary>The next point of the schedule to deliver.</summary>
    public DateTime NextTick { get; set; }

    /// <summary>Bumped by every registration change, so queue entries and deliveries of an older one are ignored.</summary>
    public int Generation { get; private set; }

    /// <summary>A tick of the current generation is being delivered.</summary>
    public bool Delivering { get; set; }

    /// <summary>Unregistered: no further tick.</summary>
    public bool Removed { get; set; }

    public void Apply(DateTime startAt, TimeSpan period, string eTag, DateTime? lastTickTime)
    {
        StartAt = startAt;
        Period = period;
        ETag = eTag;
        NextTick = ReminderSchedule.NextTick(startAt, period, lastTickTime);
        Generation++;
        Delivering = false;
    }

    public override string ToString() => $"reminder '{Name}' of grain {GrainId}";
}
