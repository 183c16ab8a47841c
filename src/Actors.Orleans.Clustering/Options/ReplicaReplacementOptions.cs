namespace Actors.Orleans.Clustering;

/// <summary>
/// How a partition's replica whose silo is gone is replaced (replication factor above 1): when a replica's silo has been
/// absent from Orleans's active silos for <see cref="AbsentFor"/> and the replica is out of the partition's in-sync set,
/// the partition's leader replaces it by a replica on an active silo that holds none of the partition (the one holding the
/// fewest partitions), which catches up from the leader and then joins the in-sync set. Configured with
/// <c>services.Configure&lt;ReplicaReplacementOptions&gt;</c> or the <c>Replacement</c> subsection of the replication
/// section; validated when the silo starts, naming the setting.
/// </summary>
/// <remarks>The replaced replica's files stay in its silo's directory (nothing deletes a log); a silo that returns with
/// them no longer runs that partition.</remarks>
public sealed class ReplicaReplacementOptions
{
    /// <summary>The default <see cref="AbsentFor"/>: long enough for a silo or container to restart with its volume.</summary>
    public static readonly TimeSpan DefaultAbsentFor = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="Interval"/>.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="MaxChangesPerPass"/>.</summary>
    public const int DefaultMaxChangesPerPass = 4;

    /// <summary>The shortest <see cref="Interval"/> accepted.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest <see cref="Interval"/> and <see cref="AbsentFor"/> accepted.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    /// <summary>The largest <see cref="MaxChangesPerPass"/> accepted.</summary>
    public const int MaxChangesPerPassLimit = 4096;

    /// <summary>Whether absent replicas are replaced at all (default true). False: a partition waits for its replicas' silos to return.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a replica's silo must have been absent from Orleans's active silos, as this silo observed it, before the
    /// replica is replaced (default 5 minutes; 0 to 7 days). A silo that restarts within it keeps its replicas.
    /// </summary>
    public TimeSpan AbsentFor { get; set; } = DefaultAbsentFor;

    /// <summary>How often a silo looks for replicas to replace in the partitions it leads (default 5 s; 100 ms to 7 days).</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>How many replicas one silo replaces in one pass at most (default <see cref="DefaultMaxChangesPerPass"/>; 1 to <see cref="MaxChangesPerPassLimit"/>): each new replica copies its partition.</summary>
    public int MaxChangesPerPass { get; set; } = DefaultMaxChangesPerPass;

    /// <summary>Throws <see cref="WriteAheadLogReplicationException"/> naming every bad setting.</summary>
    /// <exception cref="WriteAheadLogReplicationException">A setting is out of range.</exception>
    public void Validate()
    {
        var failures = new List<string>();
        if (AbsentFor < TimeSpan.Zero || AbsentFor > MaxDuration)
        {
            failures.Add($"{nameof(ReplicaReplacementOptions)}.{nameof(AbsentFor)} is {AbsentFor}: it must be between 0 and {MaxDuration}.");
        }

        if (Interval < MinInterval || Interval > MaxDuration)
        {
            failures.Add($"{nameof(ReplicaReplacementOptions)}.{nameof(Interval)} is {Interval}: it must be between {MinInterval} and {MaxDuration}.");
        }

        if (MaxChangesPerPass is < 1 or > MaxChangesPerPassLimit)
        {
            failures.Add($"{nameof(ReplicaReplacementOptions)}.{nameof(MaxChangesPerPass)} is {MaxChangesPerPass}: it must be between 1 and {MaxChangesPerPassLimit}.");
        }

        if (failures.Count > 0)
        {
            throw new WriteAheadLogReplicationException(string.Join(" ", failures));
        }
    }
}
