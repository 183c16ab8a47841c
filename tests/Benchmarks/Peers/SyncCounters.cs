namespace Actors.Benchmarks.Peers;

/// <summary>Cumulative counters a store reports about itself.</summary>
/// <param name="Appends">Appends (events or transactions) the store counted since start.</param>
/// <param name="Commits">Group commits written since start.</param>
/// <param name="Fsyncs">fsync/fdatasync calls since start.</param>
internal readonly record struct SyncCounters(long Appends, long Commits, long Fsyncs)
{
    public static SyncCounters operator -(SyncCounters a, SyncCounters b) =>
        new(a.Appends - b.Appends, a.Commits - b.Commits, a.Fsyncs - b.Fsyncs);
}
