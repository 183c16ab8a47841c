using Actors.Runtime;

namespace Actors.Timers;

/// <summary>
/// The silo's reminder operations for a grain (Orleans' <c>IReminderRegistry</c>). Grain code uses
/// <see cref="GrainReminderExtensions"/>; infrastructure resolves this service from <see cref="IGrainContext.ActivationServices"/>.
/// </summary>
public interface IReminderRegistry
{
    /// <summary>
    /// Registers the reminder <paramref name="reminderName"/> of <paramref name="callingGrainId"/>, or replaces its
    /// schedule: the first tick is due <paramref name="dueTime"/> from now, later ones every <paramref name="period"/>.
    /// Completes when the registration is durable in the reminder table.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The due time is negative or infinite, or the period is infinite or below the configured minimum.</exception>
    /// <exception cref="ReminderException">No reminder service is configured, or the table failed.</exception>
    Task<IGrainReminder> RegisterOrUpdateReminder(GrainId callingGrainId, string reminderName, TimeSpan dueTime, TimeSpan period);

    /// <summary>Removes the registration <paramref name="reminder"/>; no tick is delivered for it afterwards. Removing a reminder that is already gone succeeds.</summary>
    /// <exception cref="ReminderException">The handle is stale (the reminder was registered again since), or the table failed.</exception>
    Task UnregisterReminder(GrainId callingGrainId, IGrainReminder reminder);

    /// <summary>The current registration of <paramref name="reminderName"/>, or null.</summary>
    Task<IGrainReminder?> GetReminder(GrainId callingGrainId, string reminderName);

    /// <summary>Every current registration of the grain.</summary>
    Task<List<IGrainReminder>> GetReminders(GrainId callingGrainId);
}
