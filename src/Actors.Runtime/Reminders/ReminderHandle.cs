using Actors.Runtime;

namespace Actors.Reminders;

/// <summary>The <see cref="IGrainReminder"/> the reminder service hands out: one registration of one reminder.</summary>
internal sealed record ReminderHandle(GrainId GrainId, string ReminderName, string ETag) : IGrainReminder
{
    public static ReminderHandle From(ReminderEntry entry) => new(entry.GrainId, entry.ReminderName, entry.ETag);
}
