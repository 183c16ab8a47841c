using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal.Maintenance;

// Chain consolidation, the maintenance's side (methods only): the committer's requests, and what ChainConsolidator asks
// of the loop that runs it (when to yield, how to wake it, compaction's copy from LogMaintenance.Space.cs).
internal sealed partial class LogMaintenance
{
    /// <summary>Chain consolidation requests refused because the queue was full (for statistics). Any thread.</summary>
    public long ConsolidationsDropped => _consolidator.Dropped;

    /// <summary>
    /// Asks for the chain consolidation of <paramref name="stream"/> (the committer, when its read chain grew by
    /// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records): see <see cref="ChainConsolidator.Request"/>.
    /// Never blocks; a full queue drops the request.
    /// </summary>
    public void RequestConsolidation(HotStream stream) => _consolidator.Request(stream);

    /// <inheritdoc/>
    bool IChainConsolidationHost.OtherWorkWaits()
    {
        lock (_compactions)
        {
            return _stopping || _passRequested || _compactions.Count > 0;
        }
    }

    /// <inheritdoc/>
    void IChainConsolidationHost.Wake() => _work.Release();

    /// <inheritdoc/>
    ValueTask<RelocateRequest?> IChainConsolidationHost.TryPrepareCopyAsync(StreamEntry entry, List<byte[]> rentals, long limit)
        => TryPrepareRelocationAsync(entry, retention: null, rentals, limit);

    /// <inheritdoc/>
    void IChainConsolidationHost.ReportCorruptRecordSkipped(WalException exception)
    {
        Interlocked.Increment(ref _counters.CorruptRecordsSkipped);
        LogCorruptRecordSkipped(exception.Message, exception);
    }
}
