namespace Actors.Reminders;

/// <summary>One durable reminder row: a grain's named schedule and the last tick whose delivery was recorded.</summary>
/// <param name="GrainId">The grain the reminder belongs to (its class's type name and key).</param>
/// <param name="ReminderName">The reminder's name, unique per grain.</param>
/// <param name="StartAt">When the first tick is due (UTC); the theoretical ticks are <c>StartAt + n * Period</c>.</param>
/// <param name="Period">The time between ticks; positive.</param>
/// <param name="ETag">Identifies this registration; a new registration of the same name gets a new one.</param>
/// <param name="LastTickTime">The latest tick (a point of the schedule, UTC) whose delivery was recorded for this registration, or null.</param>
public sealed record ReminderEntry(GrainId GrainId, string ReminderName, DateTime StartAt, TimeSpan Period, string ETag, DateTime? LastTickTime);
