using Actors.Runtime;
using Actors.Timers;

namespace Actors.Reminders;

/// <summary>The silo's <see cref="IReminderRegistry"/>: validates a registration (Orleans' rules) and hands it to the <see cref="ReminderService"/>.</summary>
internal sealed class ReminderRegistry(ReminderService service) : IReminderRegistry
{
    /// <inheritdoc />
    public Task<IGrainReminder> RegisterOrUpdateReminder(GrainId callingGrainId, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        if (dueTime == Timeout.InfiniteTimeSpan || dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, $"Reminder '{reminderName}' needs a due time of zero or more (not infinite).");
        }

        TimeSpan minimum = service.Options.MinimumReminderPeriod;
        if (period == Timeout.InfiniteTimeSpan || period < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period,
                $"Reminder '{reminderName}' needs a period of at least ReminderOptions.MinimumReminderPeriod ({minimum}), not infinite; use a grain timer for shorter periods.");
        }

        if (dueTime > DateTime.MaxValue - DateTime.UtcNow - TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, $"Reminder '{reminderName}' is due after DateTime.MaxValue.");
        }

        return service.RegisterOrUpdateAsync(callingGrainId, reminderName, dueTime, period);
    }

    /// <inheritdoc />
    public Task UnregisterReminder(GrainId callingGrainId, IGrainReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        return service.UnregisterAsync(callingGrainId, reminder);
    }

    /// <inheritdoc />
    public Task<IGrainReminder?> GetReminder(GrainId callingGrainId, string reminderName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        return service.GetAsync(callingGrainId, reminderName);
    }

    /// <inheritdoc />
    public Task<List<IGrainReminder>> GetReminders(GrainId callingGrainId) => service.GetAllAsync(callingGrainId);
}
