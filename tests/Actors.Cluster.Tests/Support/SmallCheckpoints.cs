using Actors.Replication.Options;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// Checkpoint settings small enough that a test's durable load makes every replica checkpoint its materialized log and
/// delete its entry log's prefix within seconds: a checkpoint every <see cref="EveryEntries"/> applied entries, entry-log
/// segments of <see cref="EntryLogSegmentBytes"/> (prefixes are deleted by whole segments). The same values for silos in
/// process (<see cref="Apply"/>) and silo processes (<see cref="Environment"/>).
/// </summary>
public static class SmallCheckpoints
{
    /// <summary><see cref="ReplicaOptions.CheckpointEveryEntries"/>: 32 entries.</summary>
    public const long EveryEntries = 32;

    /// <summary><see cref="ReplicaOptions.EntryLogSegmentBytes"/>: 8 KiB.</summary>
    public const long EntryLogSegmentBytes = 8 * 1024;

    /// <summary>The settings as a silo process's <c>ACTORS__CLUSTER__REPLICATION__...</c> environment variables.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ACTORS__CLUSTER__REPLICATION__CHECKPOINTEVERYENTRIES"] = EveryEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ACTORS__CLUSTER__REPLICATION__ENTRYLOGSEGMENTBYTES"] = EntryLogSegmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Sets the small thresholds on <paramref name="options"/> (an in-process silo's <c>ClusterOptions.Replication</c>).</summary>
    public static void Apply(ReplicaOptions options)
    {
        options.CheckpointEveryEntries = EveryEntries;
        options.EntryLogSegmentBytes = EntryLogSegmentBytes;
    }
}
