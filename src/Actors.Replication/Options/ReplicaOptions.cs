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

    /// <summary>Default of <see cref="CheckpointEveryEntries"/>: 65,536 entries.</summary>
    public const long DefaultCheckpointEveryEntries = 65_536;

    /// <summary>Default of <see cref="CheckpointEveryBytes"/>: 64 MiB of entry payloads (one default entry-log segment).</summary>
    public const long DefaultCheckpointEveryBytes = 64L * 1024 * 1024;

    /// <summary>Default of <see cref="FollowerApplyDelay"/>: 50 ms.</summary>
    public static readonly TimeSpan DefaultFollowerApplyDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest <see cref="FollowerApplyDelay"/> accepted: 10 s.</summary>
    public static readonly TimeSpan MaxFollowerApplyDelay = TimeSpan.FromSeconds(10);

    /// <summary>Default of <see cref="EntryLogSegmentBytes"/>: 64 MiB.</summary>
    public const long DefaultEntryLogSegmentBytes = 64L * 1024 * 1024;

    /// <summary>The smallest <see cref="EntryLogSegmentBytes"/> accepted: 4 KiB.</summary>
    public const long MinEntryLogSegmentBytes = 4 * 1024;

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

    /// <summary>
    /// A replica hosted with a materialized state (the silos' replicas) offers a checkpoint of that state once it applied
    /// this many committed entries since its last checkpoint (or since it started), whichever of this and
    /// <see cref="CheckpointEveryBytes"/> comes first; the checkpoint lets it delete the entry-log segments below it and
    /// start from it instead of LSN 1. Each checkpoint copies the whole materialized state. The protocol itself does not
    /// read this setting.
    /// </summary>
    public long CheckpointEveryEntries { get; set; } = DefaultCheckpointEveryEntries;

    /// <summary>As <see cref="CheckpointEveryEntries"/>, counted in bytes of applied entry payloads.</summary>
    public long CheckpointEveryBytes { get; set; } = DefaultCheckpointEveryBytes;

    /// <summary>
    /// A replica hosted with a materialized state (the silos' replicas) that follows (does not lead) applies committed
    /// entries to that state at most this long after the first of them was committed, all of them in one burst, rather
    /// than each burst as it is committed: a follower's materialized log serves nothing until the replica leads, so its
    /// bursts are made larger (fewer wake-ups and writes of the materialized log per entry). The wait ends at once when
    /// something waits for the materialized state (a new leader catching up before it serves, a proposal waiting for its
    /// outcome), and none begins while the replica leads. Zero: every burst at once. At most <see cref="MaxFollowerApplyDelay"/>. The protocol itself
    /// does not read this setting.
    /// </summary>
    public TimeSpan FollowerApplyDelay { get; set; } = DefaultFollowerApplyDelay;

    /// <summary>
    /// The size of one segment file of a hosted replica's entry log (the silos' replicas): a checkpoint deletes only whole
    /// segments below it, so entries are kept at least until their segment is full.
    /// </summary>
    public long EntryLogSegmentBytes { get; set; } = DefaultEntryLogSegmentBytes;

    /// <summary>
    /// How the silos' replicas keep their entry logs: one journal shared by every replica of the silo (the default), or
    /// files of each replica's own. A silo refuses to open a replica's directory written in the other layout
    /// (Actors.Wal's EntryLogLayoutException) rather than ignore the entries it holds. The protocol itself does not read
    /// this setting.
    /// </summary>
    public EntryLogLayout EntryLogLayout { get; set; } = EntryLogLayout.SharedJournal;

    /// <summary>
    /// The leader never removes a lagging or silent follower from the in-sync set when that would leave fewer than this many
    /// replicas in it (the leader included). Null (the default): a majority of the partition's replicas, but never all of
    /// them (2 of 3, 3 of 4, 3 of 5; 1 of 1 and 1 of 2, so that factor 2 keeps serving after one failure). A value above the
    /// partition's replica count counts as that count.
    /// </summary>
    /// <remarks>
    /// <para>Why a majority: a leader cut off from its followers but not from the store could otherwise shrink the set to
    /// itself, and then no follower may take the lead (only an in-sync replica may), while the rest of the cluster can no
    /// longer reach it. With the set never below a majority, it holds a replica of every majority of the replicas, so the
    /// side of a cut that holds a majority always holds an in-sync replica, which takes the lead once the cut leader
    /// goes silent.</para>
    /// <para>While the leader would remove a follower but may not (fewer live in-sync replicas than this), its appends wait
    /// for that follower (Kafka's acks=all with min.insync.replicas): they are acknowledged once it answers again or another
    /// follower has joined the set in its place, or abandoned as outcome unknown when the leader is deposed. So factor 3
    /// tolerates one failed replica without stalling; with two failed, writes wait until one returns (its read lease runs
    /// out as well, so the silos refuse new calls as retryable). 1 restores the older behaviour (a leader may shrink the
    /// set to itself: writes go on with one replica left, and a cut leader keeps its partitions). Factor 2 has no majority
    /// that survives a failure, so its default is 1: a follower takes over a dead leader, and a leader cut from its follower
    /// but not from the store keeps its partitions until Orleans's membership stops it (set 2 to have its writes wait
    /// instead).</para>
    /// </remarks>
    public int? MinInSyncReplicas { get; set; }

    /// <summary>The in-sync floor for a partition of <paramref name="replicaCount"/> replicas (see <see cref="MinInSyncReplicas"/>).</summary>
    /// <param name="replicaCount">The partition's replicas (at least 1).</param>
    public int InSyncFloor(int replicaCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicaCount, 1);
        return Math.Min(MinInSyncReplicas ?? Math.Max(1, Math.Min((replicaCount / 2) + 1, replicaCount - 1)), replicaCount);
    }

    /// <summary>Fails with <see cref="InvalidReplicaOptionsException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        RequirePositive(HeartbeatInterval, nameof(HeartbeatInterval));
        RequirePositive(FollowerLagTimeout, nameof(FollowerLagTimeout));
        RequirePositive(LeaderTimeout, nameof(LeaderTimeout));
        RequirePositive(ConfigurationPollInterval, nameof(ConfigurationPollInterval));
        if (MinInSyncReplicas is < 1)
        {
            throw new InvalidReplicaOptionsException(nameof(MinInSyncReplicas), $"must be at least 1, was {MinInSyncReplicas}");
        }

        if (MaxEntriesPerRequest < 1)
        {
            throw new InvalidReplicaOptionsException(nameof(MaxEntriesPerRequest), $"must be at least 1, was {MaxEntriesPerRequest}");
        }

        if (CheckpointEveryEntries < 1)
        {
            throw new InvalidReplicaOptionsException(nameof(CheckpointEveryEntries), $"must be at least 1, was {CheckpointEveryEntries}");
        }

        if (CheckpointEveryBytes < 1)
        {
            throw new InvalidReplicaOptionsException(nameof(CheckpointEveryBytes), $"must be at least 1, was {CheckpointEveryBytes}");
        }

        if (FollowerApplyDelay < TimeSpan.Zero || FollowerApplyDelay > MaxFollowerApplyDelay)
        {
            throw new InvalidReplicaOptionsException(nameof(FollowerApplyDelay), $"must be between zero and {MaxFollowerApplyDelay}, was {FollowerApplyDelay}");
        }

        if (EntryLogSegmentBytes < MinEntryLogSegmentBytes)
        {
            throw new InvalidReplicaOptionsException(nameof(EntryLogSegmentBytes), $"must be at least {MinEntryLogSegmentBytes}, was {EntryLogSegmentBytes}");
        }

        if (!Enum.IsDefined(EntryLogLayout))
        {
            throw new InvalidReplicaOptionsException(nameof(EntryLogLayout), $"must be {nameof(EntryLogLayout.SharedJournal)} or {nameof(EntryLogLayout.PerReplicaFiles)}, was {EntryLogLayout}");
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
