using Actors.Wal.Format;
using Actors.Wal.Writing;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    private const int EraseAttempts = 8;

    /// <inheritdoc />
    /// <remarks>
    /// <para>Unreadable as soon as the returned task completes, physically gone from the log's files once the segments
    /// named in the result are compacted (the next space pass, or <see cref="CompactAsync"/>; they are deleted, never
    /// kept for reuse).</para>
    /// <para>The stream's newest checkpoint is kept (older, superseded ones go with the erased records: their segments are
    /// compacted too), and its version does not change: appends continue at the next
    /// version. Reading the stream afterwards returns its newest checkpoint and the events after both that checkpoint and
    /// <paramref name="toVersion"/>; reading erased versions throws <see cref="EventsReclaimedException"/>. A caller that
    /// rebuilds state from the stream writes a checkpoint at or above <paramref name="toVersion"/> first.</para>
    /// <para>How: the stream's base and the events after the erased version are copied forward as one relocation record,
    /// which starts a fresh back-pointer chain, so nothing readable leads to the erased records any more; the segments
    /// holding them are marked for compaction and deletion. The copy is durable (synced under every
    /// <see cref="SyncPolicy"/>) when the task completes. With <see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>
    /// compaction is off: the erased records stay on disk until their segments die of their own accord.</para>
    /// </remarks>
    /// <exception cref="EraseRejectedException">The kept part does not fit in one record, or erasing below the checkpoint
    /// would drop history the log retains (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>); nothing was erased.</exception>
    public async ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
    {
        ulong hash = Hash(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 1);
        var writer = WriterOrThrow();
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_reader.TryGetEntry(streamId, hash, out var entry))
            {
                throw new ArgumentOutOfRangeException(nameof(toVersion), toVersion, $"Stream '{streamId}' has no events to erase.");
            }

            ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, entry.Version);
            if (_options.RetainCheckpointedEvents && entry.HasBase && toVersion < entry.BaseVersion)
            {
                throw new EraseRejectedException(
                    streamId,
                    toVersion,
                    $"erasing up to version {toVersion} would also drop the retained events {toVersion + 1}..{entry.BaseVersion} below the checkpoint at version {entry.BaseVersion} ({nameof(WriteAheadLogOptions.RetainCheckpointedEvents)}); erase up to at least version {entry.BaseVersion}");
            }

            var plan = await _reader.PlanEraseAsync(entry, toVersion, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) != StateOpen, this);
                if (attempt == EraseAttempts)
                {
                    throw new EraseRejectedException(streamId, toVersion, $"the stream's records kept moving (compaction) while its events up to version {toVersion} were being planned for erasure ({EraseAttempts} attempts)");
                }

                continue; // compaction moved the stream meanwhile: read its new entry
            }

            long size = RecordCodec.RelocatedSize(plan.Id.Length, plan.Kept, _cipher);
            if (size > _maxRecordLength)
            {
                throw new EraseRejectedException(streamId, toVersion, $"the events kept after version {toVersion} need {size} bytes, more than one record can hold ({_maxRecordLength}); write a checkpoint first");
            }

            // Marked before the copy: from now on these segments are deleted, never recycled, whenever they go. The
            // manifest carries the marks durably before the copy is written, so a restart still compacts them.
            _maintenance!.MarkErased(plan.SegmentsWithErased);
            _segments.WriteManifest();

            // Files kept for reuse still hold the records of the segments they were (a compaction may have moved the
            // erased records out of one before it was retired): deleted, not left until reuse zeroes them.
            _segments.DiscardRecycledFiles();
            var request = new RelocateRequest(streamId, hash, entry.LatestPosition, entry.Version, plan.Kept, (int)size, forceSync: true);
            if (!writer.TryEnqueue(request))
            {
                ThrowIfClosed();
                throw new ObjectDisposedException(nameof(WriteAheadLog));
            }

            if (await request.Task.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                _maintenance.RequestErasePass();
                return new EraseResult(streamId, toVersion, plan.EventsErased, [.. plan.SegmentsWithErased.Order()]);
            }

            if (attempt == EraseAttempts)
            {
                throw new EraseRejectedException(streamId, toVersion, $"the stream kept changing while its events up to version {toVersion} were being erased ({EraseAttempts} attempts)");
            }
        }
    }
}
