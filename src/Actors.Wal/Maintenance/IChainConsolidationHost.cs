using Actors.Wal.Encryption;
using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal.Maintenance;

/// <summary>
/// What <see cref="ChainConsolidator"/> asks of the maintenance that runs it (<see cref="LogMaintenance"/>): when to
/// yield, how to be woken, and compaction's copy of a stream.
/// </summary>
internal interface IChainConsolidationHost
{
    /// <summary>The log's payload cipher (null: not encrypted): the size of a copy depends on it.</summary>
    PayloadCipher? Cipher { get; }

    /// <summary>
    /// True when a snapshot, space pass or compaction waits, or maintenance stops: consolidation yields to them (any
    /// thread).
    /// </summary>
    bool OtherWorkWaits();

    /// <summary>Wakes the maintenance thread (any thread): its next loop turn runs consolidation.</summary>
    void Wake();

    /// <summary>
    /// Compaction's copy of one stream (no history rewrite): its live items read and prepared as one Relocated record, or
    /// null when it cannot be read (damage, a missing key: counted and logged as skipped) or exceeds
    /// <paramref name="limit"/> bytes. Maintenance thread only; the read buffers it rents are added to
    /// <paramref name="rentals"/>.
    /// </summary>
    ValueTask<RelocateRequest?> TryPrepareCopyAsync(StreamEntry entry, List<byte[]> rentals, long limit);

    /// <summary>
    /// Counts (<c>CorruptRecordsSkipped</c>) and logs a stream skipped because the writer or a catch-up could not read or
    /// resolve one of its records (a damaged record, a key the provider lacks): it stays where it is.
    /// </summary>
    void ReportCorruptRecordSkipped(WalException exception);
}
