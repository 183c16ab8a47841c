namespace Actors.Reminders;

/// <summary>
/// Decides which reminder partitions this silo serves, for a silo that does not serve them all (a cluster member serves
/// the partitions it owns). Without one, the reminder service serves every partition from its start.
/// </summary>
/// <remarks>
/// Contract: after <see cref="Attach"/>, the ownership calls <see cref="IReminderPartitionHandler.AcquireAsync"/> once
/// this silo serves a partition (its rows are readable from the table), and <see cref="IReminderPartitionHandler.ReleaseAsync"/>
/// before the partition's rows may change elsewhere (before its data moves to another silo). A partition is released
/// before another silo acquires it, so no tick is delivered by two silos.
/// </remarks>
public interface IReminderPartitionOwnership
{
    /// <summary>Called once when the reminder service starts; partitions already served are acquired soon after.</summary>
    void Attach(IReminderPartitionHandler handler);
}

/// <summary>The reminder service's side of <see cref="IReminderPartitionOwnership"/>.</summary>
public interface IReminderPartitionHandler
{
    /// <summary>Loads the partition's rows and schedules them (nothing when it is acquired already).</summary>
    Task AcquireAsync(int partition, CancellationToken cancellationToken);

    /// <summary>
    /// Stops scheduling the partition's reminders, then waits until every tick of it being delivered has ended and its
    /// delivery was recorded (nothing when it is not acquired).
    /// </summary>
    Task ReleaseAsync(int partition, CancellationToken cancellationToken);
}
