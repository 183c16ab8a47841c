namespace Actors.Wal.Reading;

/// <summary>What a rewrite of a stream's history removes.</summary>
/// <param name="EraseToVersion">Events up to this version are erased (0: none).</param>
/// <param name="Checkpoints">Checkpoints these criteria select are deleted (null: none).</param>
/// <param name="RetainHistory">The log keeps events a checkpoint covers (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>): the copy keeps them too.</param>
/// <param name="DropCoveredBeforeTicks">With <paramref name="RetainHistory"/>: events the base covers appended before this time
/// (UTC ticks) are left out of the copy (<see cref="WriteAheadLogOptions.RetainHistoryFor"/>); 0 keeps them all.</param>
/// <param name="KeepLastVersions">With <paramref name="RetainHistory"/>: events the base covers that are not among the stream's
/// newest this many versions are left out (<see cref="WriteAheadLogOptions.RetainLastVersions"/>); 0 keeps them all.</param>
internal readonly record struct HistoryRewrite(
    long EraseToVersion, CheckpointSelectionCriteria? Checkpoints, bool RetainHistory, long DropCoveredBeforeTicks = 0, long KeepLastVersions = 0)
{
    /// <summary>Per-stream policies (<see cref="WriteAheadLogOptions.StreamRetention"/>) that replace the retention fields for a stream, or null.</summary>
    public Func<string, HistoryRetention?>? StreamRetention { get; init; }

    /// <summary>The time <see cref="HistoryRetention.Duration"/> counts back from (UTC ticks), with <see cref="StreamRetention"/>.</summary>
    public long NowTicks { get; init; }

    /// <summary>The compaction copy of a log's streams under <paramref name="options"/> at <paramref name="nowTicks"/>.</summary>
    public static HistoryRewrite ForCompaction(WriteAheadLogOptions options, long nowTicks)
        => new HistoryRewrite(0, null, RetainHistory: true) { StreamRetention = options.StreamRetention, NowTicks = nowTicks }
            .With(HistoryRetention.From(options));

    /// <summary>This rewrite with the retention fields of stream <paramref name="id"/>'s own policy, if it has one.</summary>
    public HistoryRewrite ForStream(byte[] id)
        => StreamRetention?.Invoke(System.Text.Encoding.UTF8.GetString(id)) is { } policy ? With(policy) : this;

    private HistoryRewrite With(HistoryRetention policy) => this with
    {
        RetainHistory = policy.RetainsCheckpointedEvents,
        DropCoveredBeforeTicks = policy.Duration is { } d ? Math.Max(0, NowTicks - d.Ticks) : 0,
        KeepLastVersions = policy.Versions ?? 0,
    };
}
