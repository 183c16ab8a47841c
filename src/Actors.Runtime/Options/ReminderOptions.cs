namespace Actors.Hosting;

/// <summary>
/// The reminder service's options (Orleans' <c>ReminderOptions</c>), bound from configuration section
/// <see cref="SectionName"/> and validated when the silo starts.
/// </summary>
public sealed class ReminderOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Actors:Reminders";

    /// <summary>The default <see cref="MinimumReminderPeriod"/>, in minutes (Orleans' default).</summary>
    public const int DefaultMinimumReminderPeriodMinutes = 1;

    /// <summary>The default <see cref="PartitionCount"/>.</summary>
    public const int DefaultPartitionCount = 64;

    /// <summary>The largest <see cref="PartitionCount"/>.</summary>
    public const int MaxPartitionCount = 4096;

    /// <summary>
    /// The shortest period a reminder may have; registering a shorter one fails. Default 1 minute. Reminders are for
    /// schedules that must survive restarts; use a grain timer for sub-minute work while the grain is active.
    /// </summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(DefaultMinimumReminderPeriodMinutes);

    /// <summary>
    /// How many partitions the default partitioner spreads reminder rows over (each a stream of the write-ahead log).
    /// Fixed for the life of the data: the write-ahead-log table refuses to start with another count. Default 64.
    /// </summary>
    public int PartitionCount { get; set; } = DefaultPartitionCount;
}
