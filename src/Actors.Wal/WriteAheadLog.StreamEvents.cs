namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    /// <inheritdoc />
    /// <remarks>
    /// One walk back along the stream's chain (each record verified through one reused buffer) collects the positions of
    /// the records holding the range, stopping below <paramref name="fromVersion"/> or at the newest tombstone; then the
    /// records are read forward, one at a time, each into a fresh buffer that the events handed out share. Memory: 12 bytes
    /// per record of the range, at most 131,072 records (a longer range keeps its oldest 65,536 to 131,072 and is planned
    /// again after them), plus one record; the payloads are the caller's to keep or drop. A record whose segment
    /// compaction deleted meanwhile, or an erase completed during the read, makes it plan again from the next version
    /// (from the stream's new chain): erased versions are never handed out after the erase completed.
    /// </remarks>
    public IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
    {
        ulong hash = Hash(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        ThrowIfClosed();
        return _reader.ReadEventsForwardAsync(streamId, hash, fromVersion, () => Volatile.Read(ref _historyRewrites), cancellationToken);
    }

    /// <summary>The most records one plan of a forward read keeps (tests set it low to exercise long ranges).</summary>
    internal int ForwardReadPlanLimit
    {
        get => _reader.MaxPlannedRecords;
        set => _reader.MaxPlannedRecords = value;
    }
}
