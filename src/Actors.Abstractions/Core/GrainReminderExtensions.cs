using Actors.Runtime;
using Actors.Timers;
using Microsoft.Extensions.DependencyInjection;

namespace Actors;

/// <summary>
/// Reminder operations for grain code (Orleans' <c>GrainReminderExtensions</c>): call them as
/// <c>this.RegisterOrUpdateReminder(...)</c> from a grain that implements <see cref="IRemindable"/>.
/// </summary>
public static class GrainReminderExtensions
{
    /// <summary>Registers or updates the grain's reminder <paramref name="reminderName"/> (see <see cref="IReminderRegistry.RegisterOrUpdateReminder"/>).</summary>
    /// <exception cref="InvalidOperationException">The grain does not implement <see cref="IRemindable"/>.</exception>
    public static Task<IGrainReminder> RegisterOrUpdateReminder(this Grain grain, string reminderName, TimeSpan dueTime, TimeSpan period)
        => RegisterOrUpdateReminder((IGrainBase)grain, reminderName, dueTime, period);

    /// <inheritdoc cref="RegisterOrUpdateReminder(Grain, string, TimeSpan, TimeSpan)"/>
    public static Task<IGrainReminder> RegisterOrUpdateReminder(this IGrainBase grain, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        if (grain is not IRemindable)
        {
            throw new InvalidOperationException(
                $"Grain {grain.GrainContext.GrainId} ('{grain.GetType().FullName}') does not implement IRemindable; a grain must implement it to register reminders.");
        }

        return Registry(grain).RegisterOrUpdateReminder(grain.GrainContext.GrainId, reminderName, dueTime, period);
    }

    /// <summary>Unregisters a reminder of the grain (see <see cref="IReminderRegistry.UnregisterReminder"/>).</summary>
    public static Task UnregisterReminder(this Grain grain, IGrainReminder reminder) => UnregisterReminder((IGrainBase)grain, reminder);

    /// <inheritdoc cref="UnregisterReminder(Grain, IGrainReminder)"/>
    public static Task UnregisterReminder(this IGrainBase grain, IGrainReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentNullException.ThrowIfNull(reminder);
        return Registry(grain).UnregisterReminder(grain.GrainContext.GrainId, reminder);
    }

    /// <summary>The grain's current registration of <paramref name="reminderName"/>, or null.</summary>
    public static Task<IGrainReminder?> GetReminder(this Grain grain, string reminderName) => GetReminder((IGrainBase)grain, reminderName);

    /// <inheritdoc cref="GetReminder(Grain, string)"/>
    public static Task<IGrainReminder?> GetReminder(this IGrainBase grain, string reminderName)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        return Registry(grain).GetReminder(grain.GrainContext.GrainId, reminderName);
    }

    /// <summary>Every current reminder registration of the grain.</summary>
    public static Task<List<IGrainReminder>> GetReminders(this Grain grain) => GetReminders((IGrainBase)grain);

    /// <inheritdoc cref="GetReminders(Grain)"/>
    public static Task<List<IGrainReminder>> GetReminders(this IGrainBase grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return Registry(grain).GetReminders(grain.GrainContext.GrainId);
    }

    private static IReminderRegistry Registry(IGrainBase grain) => grain.GrainContext.ActivationServices.GetService<IReminderRegistry>()
        ?? throw new ReminderException(
            $"The reminder service is not configured in this silo (grain {grain.GrainContext.GrainId}). Add it with silo.UseWriteAheadLogReminderService() (durable, in the write-ahead log) or silo.UseInMemoryReminderService() (volatile, for development and tests).");
}
