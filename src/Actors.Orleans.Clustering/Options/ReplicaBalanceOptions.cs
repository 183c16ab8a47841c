namespace Actors.Orleans.Clustering;

/// <summary>
/// How partition replicas are spread over the active silos (replication factor above 1), so that a silo that joins takes
/// its share of replicas (and then of leaderships): a partition's leader moves a replica off a silo holding more than its
/// share (the partitions times the factor over the active silos, rounded up) to an active silo holding less and none of
/// the partition: it adds the new replica, which catches up from the leader and joins the in-sync set, then removes the old
/// one. Configured with <c>services.Configure&lt;ReplicaBalanceOptions&gt;</c> or the <c>Balance</c> subsection of the
/// replication section; validated when the silo starts, naming the setting.
/// </summary>
/// <remarks>The moved replica's files stay in its former silo's directory (nothing deletes a log).</remarks>
public sealed class ReplicaBalanceOptions
{
    /// <summary>The default <see cref="Interval"/>.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="MaxMovesUnderWay"/>.</summary>
    public const int DefaultMaxMovesUnderWay = 2;

    /// <summary>The shortest <see cref="Interval"/> accepted.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest <see cref="Interval"/> accepted.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(7);

    /// <summary>The largest <see cref="MaxMovesUnderWay"/> accepted.</summary>
    public const int MaxMovesUnderWayLimit = 4096;

    /// <summary>Whether replicas are moved at all (default true). False: a silo that joins gets replicas only by replacing those of a silo gone (<see cref="ReplicaReplacementOptions"/>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a silo looks for replicas to move in the partitions it leads, and finishes the moves under way (default 5 s; 100 ms to 7 days).</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>
    /// How many partitions one silo, as their leader, moves a replica of at once at most (default
    /// <see cref="DefaultMaxMovesUnderWay"/>; 1 to <see cref="MaxMovesUnderWayLimit"/>): each move copies its partition to
    /// the new replica, and a pass starts moves only up to this bound, counting those still under way.
    /// </summary>
    public int MaxMovesUnderWay { get; set; } = DefaultMaxMovesUnderWay;

    /// <summary>Throws <see cref="WriteAheadLogReplicationException"/> naming every bad setting.</summary>
    /// <exception cref="WriteAheadLogReplicationException">A setting is out of range.</exception>
    public void Validate()
    {
        var failures = new List<string>();
        if (Interval < MinInterval || Interval > MaxInterval)
        {
            failures.Add($"{nameof(ReplicaBalanceOptions)}.{nameof(Interval)} is {Interval}: it must be between {MinInterval} and {MaxInterval}.");
        }

        if (MaxMovesUnderWay is < 1 or > MaxMovesUnderWayLimit)
        {
            failures.Add($"{nameof(ReplicaBalanceOptions)}.{nameof(MaxMovesUnderWay)} is {MaxMovesUnderWay}: it must be between 1 and {MaxMovesUnderWayLimit}.");
        }

        if (failures.Count > 0)
        {
            throw new WriteAheadLogReplicationException(string.Join(" ", failures));
        }
    }
}
