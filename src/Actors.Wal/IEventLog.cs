namespace Actors.Wal;

/// <summary>
/// A log of many independent <em>streams</em>, each an ordered sequence of events (versions 1, 2, 3, ...)
/// plus optional checkpoints (snapshots covering versions 1..N). All streams share the same segment files,
/// so one group commit makes the pending batches of many streams durable at once.
/// </summary>
/// <remarks>
/// <para>
/// Thread safety: every member is safe to call concurrently from any thread. No member blocks a thread while
/// waiting for the writer: callers enqueue and await.
/// </para>
/// <para>
/// Buffer ownership: payload buffers passed to <see cref="AppendAsync"/> and <see cref="WriteCheckpointAsync"/>
/// are copied before the returned task completes and before the method returns if it returns synchronously;
/// callers must not mutate them until the returned task has completed. Buffers returned by reads are owned by
/// the caller.
/// </para>
/// <para>
/// What a completed append task guarantees depends on <see cref="SyncPolicy"/>: under
/// <see cref="SyncPolicy.Always"/> the batch is on stable storage (fsync returned); under
/// <see cref="SyncPolicy.Interval"/> it is written to the OS and will be fsynced within the configured interval;
/// under <see cref="SyncPolicy.None"/> it is written to the OS only. A batch is all-or-nothing across a crash.
/// </para>
/// <para>
/// Errors are split in the manner of Akka.Persistence: <em>rejected</em> (a <see cref="RequestRejectedException"/>:
/// the request cannot be stored as it is, e.g. <see cref="RecordTooLargeException"/>; or a
/// <see cref="StreamVersionConflictException"/>: the caller's view of the stream is stale; either way nothing was
/// stored and the log is healthy) versus <em>failed</em> (<see cref="LogFailedException"/>: an I/O error happened,
/// the outcome of in-flight batches is unknown and the log refuses further writes until it is reopened). Every error
/// about the log's data derives from <see cref="WalException"/>; <see cref="ArgumentException"/>s signal only
/// programming errors (a null argument, an empty batch, an expected version below <see cref="ExpectedVersion.Any"/>).
/// </para>
/// <para>
/// Change feed: every log hands out its changes in LSN order through <see cref="ILogChangeFeed.ReadChangesAsync"/>
/// (<see cref="WriteAheadLog"/> and <see cref="InMemoryEventLog"/>). A log without a feed of its own (a wrapper, or a
/// cluster's store of one log per partition, whose LSNs are per partition) throws <see cref="NotSupportedException"/>
/// naming its type.
/// </para>
/// </remarks>
public interface IEventLog : IAsyncDisposable, ILogChangeFeed
{
    /// <summary>The log sequence number of the last record handed to the operating system.</summary>
    long WrittenLsn { get; }

    /// <summary>The log sequence number of the last record known to be on stable storage (fsynced).</summary>
    long DurableLsn { get; }

    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="streamId"/> as one atomic batch.
    /// </summary>
    /// <param name="streamId">The stream; see <see cref="StreamId.Validate(string)"/> for the rules.</param>
    /// <param name="expectedVersion">
    /// The version the stream must have before this batch (0 for a new or empty stream), or
    /// <see cref="ExpectedVersion.Any"/> to skip the check.
    /// </param>
    /// <param name="events">One or more event payloads; each at most the configured maximum record size.</param>
    /// <param name="cancellationToken">
    /// Cancels waiting for the batch. A token already cancelled at the call throws
    /// <see cref="OperationCanceledException"/> and nothing is enqueued or written; a cancellation after the call
    /// only stops the wait: the batch, already handed to the writer, may still be stored.
    /// </param>
    /// <returns>The versions and LSNs assigned to the batch.</returns>
    /// <exception cref="InvalidStreamIdException">The stream id breaks the rules; nothing was written.</exception>
    /// <exception cref="RecordTooLargeException">An event, or the framed batch, is larger than the log accepts; nothing was written.</exception>
    /// <exception cref="LogReadOnlyException">The log was opened read-only.</exception>
    /// <exception cref="ArgumentException">An empty batch or an expected version below <see cref="ExpectedVersion.Any"/> (programming errors).</exception>
    /// <exception cref="StreamVersionConflictException">The stream's version differs from <paramref name="expectedVersion"/>; nothing was written.</exception>
    /// <exception cref="LogFailedException">The log hit an I/O error; the outcome of this batch is unknown.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (see there).</exception>
    ValueTask<AppendResult> AppendAsync(
        string streamId,
        long expectedVersion,
        IReadOnlyList<ReadOnlyMemory<byte>> events,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a checkpoint (a snapshot of the stream's state covering versions 1..<paramref name="version"/>).
    /// Once durable, the events at or below <paramref name="version"/> are no longer needed for recovery and
    /// their space becomes reclaimable.
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="version">
    /// The version the snapshot covers: at least 1, at most the stream's current version, and not below the
    /// stream's latest checkpoint version.
    /// </param>
    /// <param name="state">The snapshot bytes.</param>
    /// <param name="cancellationToken">
    /// Cancels waiting. Already cancelled at the call: <see cref="OperationCanceledException"/> and nothing is
    /// enqueued; cancelled later: the checkpoint may still be stored.
    /// </param>
    /// <exception cref="CheckpointVersionOutOfRangeException"><paramref name="version"/> is outside the allowed range; nothing was written.</exception>
    /// <exception cref="RecordTooLargeException"><paramref name="state"/> is larger than the log accepts; nothing was written.</exception>
    ValueTask<CheckpointResult> WriteCheckpointAsync(
        string streamId,
        long version,
        ReadOnlyMemory<byte> state,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a stream for recovery: its latest checkpoint at or below the read bound, plus every event after
    /// that checkpoint up to the bound, in version order. Does not scan other streams' records.
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="bound">Where to stop: <see cref="ReadBound.Latest"/>, a version, or a timestamp.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint (if any) and the events after it. An unknown stream yields an empty result with version 0.</returns>
    /// <exception cref="LogCorruptedException">A record on the read path fails its checksum.</exception>
    /// <exception cref="EventsReclaimedException">A read bounded by a version or a time whose state needs events that are no
    /// longer stored (reclaimed after a checkpoint, erased, or left out of the copy a checkpoint deletion made) and that no
    /// checkpoint kept within the bound covers: the state as of a bound is exact or this error, never a partial history.</exception>
    ValueTask<StreamReadResult> ReadStreamAsync(
        string streamId,
        ReadBound bound = default,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the events of a stream with versions in [<paramref name="fromVersion"/>, <paramref name="toVersion"/>],
    /// ignoring checkpoints. Events older than the latest checkpoint may have been reclaimed.
    /// </summary>
    /// <exception cref="EventsReclaimedException">Some requested events were already reclaimed; the exception says the oldest version still available.</exception>
    ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(
        string streamId,
        long fromVersion,
        long toVersion,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the events of a stream from <paramref name="fromVersion"/> to the stream's version when the enumeration
    /// starts, in version order, as an asynchronous sequence whose memory does not grow with the number of events: the
    /// log keeps at most the positions of the records it will read, never their payloads. The sequence a read starts
    /// with equals <see cref="ReadEventsAsync"/>(<paramref name="streamId"/>, <paramref name="fromVersion"/>,
    /// <see cref="long.MaxValue"/>) at that moment; to replay a stream from its latest checkpoint, read the checkpoint
    /// (<see cref="ReadStreamAsync"/> with <see cref="ReadBound.AtVersion"/> of <see cref="StreamInfo.CheckpointVersion"/>,
    /// or the checkpoint of a <see cref="ReadStreamAsync"/>) and the events from its version + 1.
    /// </summary>
    /// <remarks>
    /// <para>Events appended after the enumeration started are not part of it (read again from the next version).
    /// Each <see cref="StoredEvent.Payload"/> belongs to the caller (it stays valid after the enumeration moves on).</para>
    /// <para>The read never skips a version: versions it cannot hand out, at the start (reclaimed after a checkpoint, or
    /// erased) or during the read (erased by <see cref="DeleteEventsToAsync"/>, or reclaimed after a
    /// <see cref="DeleteStreamAsync"/>), end it with <see cref="EventsReclaimedException"/> naming the first version
    /// missing. An erase that completed is never handed out afterwards. A stream deleted during the read is either read to
    /// the end the read started with (its records are still stored) or ends with that exception.</para>
    /// <para>The default implementation (for logs that wrap others) reads pages of 256 events through
    /// <see cref="ReadEventsAsync"/>; a wrapper should pass the call to the log it wraps.</para>
    /// </remarks>
    /// <param name="streamId">The stream.</param>
    /// <param name="fromVersion">The first version to read (at least 1).</param>
    /// <param name="cancellationToken">Cancels the read (also honoured through <c>WithCancellation</c>): the next step throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The events; nothing for an unknown stream or a range beyond the stream's version.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is below 1 (thrown by the call).</exception>
    /// <exception cref="InvalidStreamIdException">The stream id breaks the rules (thrown by the call).</exception>
    /// <exception cref="EventsReclaimedException">Versions of the range are no longer stored (see remarks).</exception>
    /// <exception cref="LogCorruptedException">A record on the read path is damaged.</exception>
    IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
        => Reading.EventPages.Read(this, streamId, fromVersion, Reading.EventPages.DefaultPageSize, cancellationToken);

    /// <summary>
    /// Deletes a stream by appending a tombstone. Reads then return an empty stream, but its version does not
    /// go back: the next append must expect the version the stream had when deleted.
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="expectedVersion">The version the stream must have, or <see cref="ExpectedVersion.Any"/>.</param>
    /// <param name="cancellationToken">
    /// Cancels waiting. Already cancelled at the call: <see cref="OperationCanceledException"/> and nothing is
    /// enqueued; cancelled later: the tombstone may still be stored.
    /// </param>
    /// <exception cref="StreamVersionConflictException">The stream's version differs from <paramref name="expectedVersion"/>.</exception>
    ValueTask<AppendResult> DeleteStreamAsync(
        string streamId,
        long expectedVersion,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the stream's events up to <paramref name="toVersion"/>: they are unreadable once the task completes (reads
    /// of those versions throw <see cref="EventsReclaimedException"/>), and the store forgets their bytes (the
    /// file-backed log at its next compaction). The newest checkpoint is kept (the file-backed log also removes the bytes of
    /// older, superseded checkpoints, which hold state built from erased events) and the stream's version does not change.
    /// </summary>
    /// <remarks>A caller that rebuilds state from the stream writes a checkpoint at or above <paramref name="toVersion"/> first.</remarks>
    /// <param name="streamId">The stream.</param>
    /// <param name="toVersion">The newest version to erase (at least 1, at most the stream's version).</param>
    /// <param name="cancellationToken">Cancels waiting (the erase may still happen).</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="toVersion"/> is below 1 or above the stream's version.</exception>
    /// <exception cref="EraseRejectedException">The erase cannot be carried out; nothing was erased.</exception>
    ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the stream's checkpoints that <paramref name="criteria"/> selects (one with
    /// <see cref="CheckpointSelectionCriteria.AtVersion"/>, or by version and write-time bounds), and only those: reads no
    /// longer return them once the task completes, and the store forgets their bytes (the file-backed log at its next
    /// compaction, like <see cref="DeleteEventsToAsync"/>). Every checkpoint not selected stays readable as of its version,
    /// and a read bounded at a deleted one's version returns the next older kept checkpoint and the events after it. Events
    /// and the stream's version are unchanged.
    /// </summary>
    /// <remarks>
    /// <para>Deleting the newest checkpoint makes the next newest one that is kept (or none) the stream's base; that is
    /// allowed only while the events after it, up to the deleted one, are still stored, so the state can be rebuilt without
    /// it. A caller that wants to remove the data of its newest checkpoint writes a newer checkpoint first.</para>
    /// <para>A log that reclaims the events a checkpoint covers (the file-backed log unless it retains history) may reclaim,
    /// with the deletion as at any time, the events older than the oldest kept checkpoint (reads bounded below it then throw
    /// <see cref="EventsReclaimedException"/>); and once a newer checkpoint is written, the older ones are superseded like any
    /// other (see <see cref="WriteAheadLog.DeleteCheckpointsAsync"/>). The deletion itself never removes a checkpoint it did
    /// not select, nor an event a kept checkpoint needs.</para>
    /// </remarks>
    /// <param name="streamId">The stream.</param>
    /// <param name="criteria">Which checkpoints to delete.</param>
    /// <param name="cancellationToken">Cancels waiting (the deletion may still happen).</param>
    /// <returns>What was deleted (nothing when no stored checkpoint matched, or the stream is unknown).</returns>
    /// <exception cref="CheckpointDeletionRejectedException">The stream's state could not be rebuilt without a selected checkpoint, or what the file-backed log keeps (the checkpoints not selected and the events they need) does not fit in one record; nothing was deleted.</exception>
    /// <exception cref="NotSupportedException">This log cannot delete checkpoints (the default for logs that wrap others).</exception>
    ValueTask<CheckpointDeletionResult> DeleteCheckpointsAsync(string streamId, CheckpointSelectionCriteria criteria, CancellationToken cancellationToken = default)
        => throw new NotSupportedException($"The event log '{GetType().FullName}' cannot delete checkpoints.");

    /// <summary>Returns what the index knows about a stream (its version, checkpoint version and deletion), without waiting for the writer.</summary>
    /// <remarks>
    /// Answered from memory for a stream used since the index last compacted its entries. The file-backed log keeps
    /// idle streams without their id string (to stay small), so the first call for an idle stream whose 64-bit hash
    /// is in the index reads one record header from disk to verify the id (a hash collision must never mix two
    /// streams); that read can throw <see cref="LogCorruptedException"/> if the record is damaged. It never waits for
    /// appends in flight.
    /// </remarks>
    /// <param name="streamId">The stream.</param>
    /// <returns>The stream's metadata, or <see cref="StreamInfo.Empty"/> for an unknown stream.</returns>
    StreamInfo GetStreamInfo(string streamId);

    /// <summary>
    /// Makes every record written so far durable (an fsync), whatever the sync policy.
    /// </summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>A snapshot of the log's counters and space accounting.</summary>
    LogStatistics GetStatistics();

    /// <inheritdoc />
    /// <remarks>The default for logs without a change feed of their own: refused, naming the log's type.</remarks>
    /// <exception cref="NotSupportedException">This log has no change feed.</exception>
    IAsyncEnumerable<LogChange> ILogChangeFeed.ReadChangesAsync(ChangeFeedPosition from, bool follow, CancellationToken cancellationToken)
        => throw new NotSupportedException($"The event log '{GetType().FullName}' has no change feed of its own; read the feed of the log it wraps, or of one partition's log in a cluster.");
}
