namespace Actors.Persistence.Wal.Reminders;

/// <summary>The kind byte of a reminder event (see <see cref="ReminderRecordCodec"/>).</summary>
internal enum ReminderRecordKind : byte
{
    /// <summary>A registration (new or replacing); its ETag is the event's stream version.</summary>
    Upsert = 1,

    /// <summary>An unregistration of the named ETag.</summary>
    Remove = 2,

    /// <summary>A delivered tick of the named ETag.</summary>
    Tick = 3,
}
