namespace Actors.Runtime;

/// <summary>A handle to one registration of a reminder (Orleans' <c>IGrainReminder</c>); pass it to <c>UnregisterReminder</c>.</summary>
/// <remarks>
/// A handle names one registration: after the reminder is registered again (updated), unregistering through the older
/// handle fails with <see cref="ReminderException"/>; get a current handle with <c>GetReminder</c>.
/// </remarks>
public interface IGrainReminder
{
    /// <summary>The reminder's name, unique per grain.</summary>
    string ReminderName { get; }
}
