namespace Actors.Orleans.Clustering;

/// <summary>
/// How partition leaderships are spread again when a silo comes back (replication factor above 1): each silo that leads
/// more than its share hands partitions to in-sync replicas on silos that lead fewer, through the graceful hand-over.
/// Configured with <c>services.Configure&lt;LeadershipRebalanceOptions&gt;</c> or the <c>Rebalance</c> subsection of the
/// replication section; validated when the silo starts, naming the setting.
/// </summary>
public sealed class LeadershipRebalanceOptions
{
    /// <summary>The default <see cref="Interval"/>.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="MaxMovesPerPass"/>.</summary>
    public const int DefaultMaxMovesPerPass = 4;

    /// <summary>The shortest <see cref="Interval"/> accepted.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest <see cref="Interval"/> accepted.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(10);

    /// <summary>The largest <see cref="MaxMovesPerPass"/> accepted.</summary>
    public const int MaxMovesPerPassLimit = 4096;

    /// <summary>Whether leaderships are rebalanced at all (default true). False: they stay where elections and hand-overs put them.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a silo looks for leaderships to hand over while a rebalance is due (default 1 s; 100 ms to 10 min).</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>
    /// How many leaderships one silo hands over in one pass at most (default <see cref="DefaultMaxMovesPerPass"/>; 1 to
    /// <see cref="MaxMovesPerPassLimit"/>): a returning silo takes its share over a few passes, not all at once.
    /// </summary>
    public int MaxMovesPerPass { get; set; } = DefaultMaxMovesPerPass;

    /// <summary>Throws <see cref="WriteAheadLogReplicationException"/> naming every bad setting.</summary>
    /// <exception cref="WriteAheadLogReplicationException">A setting is out of range.</exception>
    public void Validate()
    {
        var failures = new List<string>();
        if (Interval < MinInterval || Interval > MaxInterval)
        {
            failures.Add($"{nameof(LeadershipRebalanceOptions)}.{nameof(Interval)} is {Interval}: it must be between {MinInterval} and {MaxInterval}.");
        }

        if (MaxMovesPerPass is < 1 or > MaxMovesPerPassLimit)
        {
            failures.Add($"{nameof(LeadershipRebalanceOptions)}.{nameof(MaxMovesPerPass)} is {MaxMovesPerPass}: it must be between 1 and {MaxMovesPerPassLimit}.");
        }

        if (failures.Count > 0)
        {
            throw new WriteAheadLogReplicationException(string.Join(" ", failures));
        }
    }
}
