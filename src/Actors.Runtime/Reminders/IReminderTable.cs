namespace Actors.Reminders;

/// <summary>
/// Durable storage of reminder rows, grouped in partitions (<see cref="IReminderPartitioner"/>), for the silo's reminder
/// service (Orleans' <c>IReminderTable</c> role). The write-ahead-log table keeps each partition in a stream of the
/// silo's log; the in-memory table is for development and tests.
/// </summary>
/// <remarks>
/// Contract: every completed write is durable under the store's policy, and a later read (also after a restart) sees
/// it. An ETag names one registration; <see cref="UpsertRowAsync"/> always issues a new one. Writes of one partition
/// apply in call order. Methods are thread-safe. An exception from a write means the outcome is unknown unless the
/// method says otherwise.
/// </remarks>
public interface IReminderTable
{
    /// <summary>Every row of <paramref name="partition"/> (what its owner schedules).</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken);

    /// <summary>Every row of <paramref name="grainId"/>.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>The row <paramref name="reminderName"/> of <paramref name="grainId"/>, or null.</summary>
    Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a row (its last tick is cleared) and returns its new ETag.</summary>
    Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period, CancellationToken cancellationToken);

    /// <summary>Removes the row if its ETag is <paramref name="eTag"/>; false when the row is absent or has another ETag (nothing changed).</summary>
    Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the tick <paramref name="tickTime"/> of the registration <paramref name="eTag"/> was delivered (the
    /// reminder's catch-up point after a restart). Ignored when the row is absent or has another ETag.
    /// </summary>
    Task RecordTickAsync(GrainId grainId, string reminderName, string eTag, DateTime tickTime, CancellationToken cancellationToken);

    /// <summary>
    /// Drops whatever the table keeps in memory of <paramref name="partition"/>, so its next use reads the partition's
    /// storage again (the partition was served by another silo meanwhile). Nothing by default.
    /// </summary>
    void ForgetPartition(int partition)
    {
    }
}
