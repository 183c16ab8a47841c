namespace Actors.Replication.Options;

/// <summary>Timing and batching of one replica. Times are in the driver's clock (virtual time in the simulator).</summary>
public sealed class ReplicaOptions
{
    /// <summary>Default of <see cref="HeartbeatInterval"/>.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Default of <see cref="FollowerLagTimeout"/>.</summary>
    public static readonly TimeSpan DefaultFollowerLagTimeout = TimeSpan.FromMilliseconds(400);

    /// <summary>Default of <see cref="LeaderTimeout"/>.</summary>
    public static readonly TimeSpan DefaultLeaderTimeout = TimeSpan.FromMilliseconds(600);

    /// <summary>Default of <see cref="ConfigurationPollInterval"/>.</summary>
    public static readonly TimeSpan DefaultConfigurationPollInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>Default of <see cref="MaxEntriesPerRequest"/>.</summary>
    public const int DefaultMaxEntriesPerRequest = 64;

    /// <summary>How often a leader sends each follower an append (entries or a heartbeat) and re-sends what is unacknowledged.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>
    /// An in-sync follower that has not durably acknowledged an entry appended this long ago is removed from the
    /// in-sync set (through the store) so the leader can acknowledge without it.
    /// </summary>
    /// <remarks>
    /// Measured in the leader's running time: a stall of the leader's own process (GC pause, SIGSTOP, CPU starvation)
    /// counts as at most one <see cref="HeartbeatInterval"/>, since during it the follower could not have heard the
    /// entry nor the leader its acknowledgement.
    /// </remarks>
    public TimeSpan FollowerLagTimeout { get; set; } = DefaultFollowerLagTimeout;

    /// <summary>
    /// An in-sync follower that has heard nothing from its leader for this long (plus a stagger by replica number)
    /// asks the store to make it leader of the next epoch.
    /// </summary>
    /// <remarks>
    /// Measured in the follower's running time: a stall of its own process counts as at most one
    /// <see cref="HeartbeatInterval"/> (the leader's messages may be waiting unread in its inbox).
    /// </remarks>
    public TimeSpan LeaderTimeout { get; set; } = DefaultLeaderTimeout;

    /// <summary>How often every replica re-reads the configuration, and how long a write waits for its reply before reading.</summary>
    public TimeSpan ConfigurationPollInterval { get; set; } = DefaultConfigurationPollInterval;

    /// <summary>The most entries one append request carries.</summary>
    public int MaxEntriesPerRequest { get; set; } = DefaultMaxEntriesPerRequest;

    /// <summary>Fails with <see cref="InvalidReplicaOptionsException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        RequirePositive(HeartbeatInterval, nameof(HeartbeatInterval));
        RequirePositive(FollowerLagTimeout, nameof(FollowerLagTimeout));
        RequirePositive(LeaderTimeout, nameof(LeaderTimeout));
        RequirePositive(ConfigurationPollInterval, nameof(ConfigurationPollInterval));
        if (MaxEntriesPerRequest < 1)
        {
            throw new InvalidReplicaOptionsException(nameof(MaxEntriesPerRequest), $"must be at least 1, was {MaxEntriesPerRequest}");
        }

        if (FollowerLagTimeout <= HeartbeatInterval)
        {
            throw new InvalidReplicaOptionsException(nameof(FollowerLagTimeout), $"must exceed {nameof(HeartbeatInterval)} ({HeartbeatInterval}), was {FollowerLagTimeout}");
        }

        if (LeaderTimeout <= HeartbeatInterval)
        {
            throw new InvalidReplicaOptionsException(nameof(LeaderTimeout), $"must exceed {nameof(HeartbeatInterval)} ({HeartbeatInterval}), was {LeaderTimeout}");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new InvalidReplicaOptionsException(name, $"must be positive, was {value}");
        }
    }
}
