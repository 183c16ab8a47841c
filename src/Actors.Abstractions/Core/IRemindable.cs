using Actors.Runtime;

namespace Actors;

/// <summary>
/// Implemented by grains that register reminders (Orleans' <c>IRemindable</c>): the reminder service delivers each tick
/// by calling <see cref="ReceiveReminder"/>, activating the grain when it has no activation.
/// </summary>
/// <remarks>
/// A tick is a normal request: it follows the grain's scheduling and reentrancy rules. Delivery is at least once: a
/// tick whose delivery was not recorded durably (the silo died meanwhile) is delivered again after recovery, so handle
/// ticks idempotently and reconcile from durable state using <see cref="TickStatus"/>.
/// </remarks>
public interface IRemindable : IGrain
{
    /// <summary>Receives one tick of the reminder <paramref name="reminderName"/>.</summary>
    /// <param name="reminderName">The reminder's name.</param>
    /// <param name="status">The reminder's schedule and when this delivery was initiated.</param>
    Task ReceiveReminder(string reminderName, TickStatus status);
}
