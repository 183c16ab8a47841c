using Actors.Wal.Format;
using Actors.Wal.Reading;
using Actors.Wal.Writing;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    private const int EraseAttempts = 8;

    /// <summary>
    /// True while the background erase pass waits for its window (<see cref="WriteAheadLogOptions.EraseCompactionQuietPeriod"/>)
    /// or has been asked for and not started; once false, <see cref="WhenMaintenanceIdleAsync"/> waits for it. For
    /// benchmarks and tests.
    /// </summary>
    internal bool ErasePassPending => _maintenance?.ErasePassPending ?? false;

    /// <inheritdoc />
    /// <remarks>
    /// <para>Unreadable as soon as the returned task completes, physically gone from the log's files once the segments
    /// named in the result are compacted (they are deleted, never kept for reuse), whatever
    /// <see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/> says: when <see cref="CompactAsync"/> returns (it seals
    /// the active segment first when it is one of them), else by the background erase pass, which one burst of erases
    /// shares: it starts once no erase came for <see cref="WriteAheadLogOptions.EraseCompactionQuietPeriod"/>, at the latest
    /// <see cref="WriteAheadLogOptions.EraseCompactionMaxDelay"/> after the oldest erase it covers, and seals and compacts
    /// every marked segment, the active one included.</para>
    /// <para>The stream's newest checkpoint is kept (older, superseded ones go with the erased records: their segments are
    /// compacted too), and its version does not change: appends continue at the next
    /// version. Reading the stream afterwards returns its newest checkpoint and the events after both that checkpoint and
    /// <paramref name="toVersion"/>; reading erased versions throws <see cref="EventsReclaimedException"/>. A caller that
    /// rebuilds state from the stream writes a checkpoint at or above <paramref name="toVersion"/> first. A log that retains
    /// history keeps the events after <paramref name="toVersion"/> that the checkpoint covers.</para>
    /// <para>How: the stream's base and the events kept are copied forward as one relocation record,
    /// which starts a fresh back-pointer chain, so nothing readable leads to the erased records any more; the segments
    /// holding them are marked for compaction and deletion. The copy is durable (synced under every
    /// <see cref="SyncPolicy"/>) when the task completes.</para>
    /// </remarks>
    /// <exception cref="EraseRejectedException">The kept part does not fit in one record; nothing was erased.</exception>
    public async ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 1);
        var rewrite = new HistoryRewrite(toVersion, null, _options.RetainCheckpointedEvents);
        var plan = await RewriteHistoryAsync(
            streamId,
            rewrite,
            entry =>
            {
                if (entry is not { } e)
                {
                    throw new ArgumentOutOfRangeException(nameof(toVersion), toVersion, $"Stream '{streamId}' has no events to erase.");
                }

                ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, e.Version);
                return true;
            },
            reason => new EraseRejectedException(streamId, toVersion, reason),
            "write a checkpoint first",
            cancellationToken).ConfigureAwait(false);
        return new EraseResult(streamId, toVersion, plan!.EventsErased, [.. plan.SegmentsWithRemoved.Order()]);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>Gone from reads as soon as the returned task completes, physically gone from the log's files once the segments
    /// named in the result are compacted (as for <see cref="DeleteEventsToAsync"/>). Only checkpoints still reachable on
    /// the stream's chain are found: older ones were reclaimed already.</para>
    /// <para>Only the selected checkpoints go: every other checkpoint of the stream's current incarnation still stored stays
    /// readable as of its version, after a reopen and after the compaction that removes the deleted ones, and a read bounded
    /// at a deleted one's version returns the next older kept checkpoint and the events after it.</para>
    /// <para>How: the checkpoints kept (the newest of them the stream's new base) and the events are copied forward as one
    /// relocation record, in version order (durable when the task completes), and the segments holding the deleted
    /// checkpoints are marked for compaction and deletion. A log that retains history keeps every stored event in the copy;
    /// one that does not keeps the events after the oldest kept checkpoint (those it covers are reclaimable, as after any
    /// checkpoint). A compaction copies the kept checkpoints forward with the base while the base is the copy's; once the
    /// stream writes a newer checkpoint they are superseded checkpoints like any other, which compaction does not copy
    /// (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>).</para>
    /// </remarks>
    /// <exception cref="CheckpointDeletionRejectedException">The state could not be rebuilt without a selected checkpoint, or
    /// the copy (the checkpoints kept and the events they need) does not fit in one record; nothing was deleted, and no
    /// compaction removes anything on its behalf.</exception>
    public async ValueTask<CheckpointDeletionResult> DeleteCheckpointsAsync(string streamId, CheckpointSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var rewrite = new HistoryRewrite(0, criteria, _options.RetainCheckpointedEvents);
        var plan = await RewriteHistoryAsync(
            streamId,
            rewrite,
            entry => entry is not null,
            reason => new CheckpointDeletionRejectedException(streamId, criteria, reason),
            "a deletion keeps every checkpoint it does not select and the events they need, so select the older checkpoints too",
            cancellationToken).ConfigureAwait(false);
        return plan is null
            ? new CheckpointDeletionResult(streamId, [], [])
            : new CheckpointDeletionResult(streamId, plan.DeletedCheckpoints, [.. plan.SegmentsWithRemoved.Order()]);
    }

    /// <summary>
    /// Plans and writes a rewrite of a stream's history: the kept part as one durable relocation record, the segments
    /// holding what is removed marked (durably, before the copy) for compaction and deletion. Retries while compaction
    /// moves the stream or it changes meanwhile.
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="rewrite">What to remove.</param>
    /// <param name="applies">Validates the stream's entry (null: unknown stream); false: nothing to do, null is returned.</param>
    /// <param name="reject">Makes the typed rejection for a reason.</param>
    /// <param name="tooLargeAdvice">What the caller can do when the kept part does not fit in one record (ends the rejection's reason).</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The plan that was carried out, or null when there was nothing to do.</returns>
    private async ValueTask<RewritePlan?> RewriteHistoryAsync(
        string streamId,
        HistoryRewrite rewrite,
        Func<Index.StreamEntry?, bool> applies,
        Func<string, RequestRejectedException> reject,
        string tooLargeAdvice,
        CancellationToken cancellationToken)
    {
        ulong hash = Hash(streamId);
        var writer = WriterOrThrow();
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool known = _reader.TryGetEntry(streamId, hash, out var entry);
            if (!applies(known ? entry : null))
            {
                return null;
            }

            var plan = await _reader.PlanRewriteAsync(entry, rewrite, cursor: null, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) != StateOpen, this);
                if (attempt == EraseAttempts)
                {
                    throw reject($"the stream's records kept moving (compaction) while the rewrite was being planned ({EraseAttempts} attempts)");
                }

                // Compaction moved the stream meanwhile: let the running passes finish (the erases' own passes would
                // otherwise keep moving it), then read its new entry.
                await _maintenance!.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (plan.Rejection is { } reason)
            {
                throw reject(reason);
            }

            bool copies = rewrite.EraseToVersion > 0 || plan.DeletedCheckpoints.Count > 0;
            long size = RecordCodec.RelocatedSize(plan.Id.Length, plan.Kept, _cipher);
            if (copies && size > _maxRecordLength)
            {
                // Refused before the search below is recorded: a rejected rewrite removes nothing, not even by compaction.
                throw reject($"the records kept need {size} bytes, more than one record can hold ({_maxRecordLength}); {tooLargeAdvice}");
            }

            // Copies the chain no longer reaches (left behind by a relocation, or beyond a reclaimed segment) are found by
            // the next space pass, which searches every segment for what this rewrite removes: recorded durably before
            // anything is written, so a crash after the copy still leaves the search pending.
            var kept = plan.Kept.Count > 0 ? RecordCodec.RelocatedBase(plan.Kept) : default;
            _maintenance!.AddErasureScan(new Maintenance.ErasureScan(plan.Id, rewrite.EraseToVersion, kept.Kind == RecordType.Checkpoint ? kept.Version : -1, rewrite.Checkpoints));
            if (!copies)
            {
                _maintenance.ScheduleErasePass();
                return null; // nothing selected is stored on the chain; the search takes any copy elsewhere
            }

            // Marked before the copy: from now on these segments are deleted, never recycled, whenever they go. The
            // manifest carries the marks durably before the copy is written, so a restart still compacts them.
            _maintenance.MarkErased(plan.SegmentsWithRemoved);
            _segments.WriteManifest();

            // Files kept for reuse still hold the records of the segments they were (a compaction may have moved the
            // removed records out of one before it was retired): deleted, not left until reuse zeroes them.
            _segments.DiscardRecycledFiles();
            await _segments.ZeroRecycledReadySpareAsync().ConfigureAwait(false);
            var request = new RelocateRequest(streamId, hash, entry.LatestPosition, entry.Version, plan.Kept, (int)size, forceSync: true);
            if (!writer.TryEnqueue(request))
            {
                ThrowIfClosed();
                throw new ObjectDisposedException(nameof(WriteAheadLog));
            }

            if (await request.Task.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _historyRewrites); // before the caller learns: no forward read hands out what it erased
                _maintenance.ScheduleErasePass();
                return plan;
            }

            if (attempt == EraseAttempts)
            {
                throw reject($"the stream kept changing while it was being rewritten ({EraseAttempts} attempts)");
            }

            // The stream changed under the copy (a space pass relocated it, or an append): wait for the running passes
            // before the next attempt, so an erase does not lose every attempt to the passes earlier erases started.
            await _maintenance.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
