using Actors.Journaling;
using Actors.Persistence.Wal.Diagnostics;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal;

/// <content>
/// Erasing history (<c>EraseConfirmedEvents</c>): a checkpoint of the confirmed state first, through a path that reports
/// every failure (the policy checkpoint only logs them), then <see cref="IEventLog.DeleteEventsToAsync"/>.
/// </content>
internal sealed partial class WriteAheadLogJournalAdaptor<TState, TEvent>
{
    /// <inheritdoc />
    /// <remarks>
    /// The erased records are unreadable once the task completes and leave the log's files at its next compaction (the
    /// segments holding them are compacted whatever their live ratio, and deleted), in both history modes (a
    /// <see cref="EventHistoryPolicy.KeepAll"/> store keeps the events after <paramref name="toVersion"/>). Rejected with
    /// <see cref="HistoryEraseRejectedException"/>, before anything is written: a state the codec cannot encode, or a
    /// checkpoint over <see cref="WriteAheadLogStoreOptions.MaxRecordSizeBytes"/>. Rejected after the checkpoint
    /// was stored (still nothing erased): the engine's own refusal. Anything else (I/O, a closed log) is a
    /// <see cref="GrainStorageFailedException"/>: whether the checkpoint and the erase happened is unknown.
    /// </remarks>
    public async Task EraseHistoryAsync(TState confirmedState, long version, long toVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmedState);
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, version);
        // Encoded before anything is awaited: the grain's state cannot change under the codec.
        byte[] checkpoint;
        try
        {
            checkpoint = EncodeCheckpoint(confirmedState, version);
        }
        catch (EventEncodingException ex)
        {
            throw EraseRejected(toVersion, $"the checkpoint of its state at version {version}, which must be stored first, cannot be encoded: {ex.Message}", ex);
        }

        if (checkpoint.Length > _store.Options.MaxRecordSizeBytes)
        {
            throw EraseRejected(toVersion,
                $"the checkpoint of its state at version {version}, which must be stored first, takes {checkpoint.Length} bytes, more than {nameof(WriteAheadLogStoreOptions.MaxRecordSizeBytes)} ({_store.Options.MaxRecordSizeBytes})");
        }

        EraseResult erased;
        try
        {
            IEventLog log = await _store.GetLogAsync(cancellationToken);
            if (log.GetStreamInfo(_streamId).CheckpointVersion < version)
            {
                await log.WriteCheckpointAsync(_streamId, version, checkpoint, cancellationToken);
                PersistenceInstruments.CheckpointWritten(_store.Name);
            }

            ResetCounters(version);
            erased = await log.DeleteEventsToAsync(_streamId, toVersion, cancellationToken);
        }
        catch (RequestRejectedException ex)
        {
            throw EraseRejected(toVersion, $"the log refused: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PersistenceInstruments.Failed(_store.Name);
            throw new GrainStorageFailedException(_grainId, _store.Name, version, ex);
        }

        LogHistoryErased(_logger, _grainId.ToString(), _store.Name, toVersion, version, erased.EventsErased, erased.SegmentsToCompact.Count);
    }

    private HistoryEraseRejectedException EraseRejected(long toVersion, string reason, Exception? inner = null)
    {
        PersistenceInstruments.Rejected(_store.Name);
        return new HistoryEraseRejectedException(
            _grainId,
            toVersion,
            $"Write-ahead-log store '{_store.Name}' did not erase the events of grain '{_grainId}' up to version {toVersion}: {reason}. Nothing was erased.",
            inner);
    }

    [LoggerMessage(23, LogLevel.Information, "Grain {GrainId} erased its events up to version {ToVersion} in write-ahead-log store {StoreName} (checkpoint at version {Version}; {EventsErased} stored events erased; {Segments} segments hold their bytes until compaction)")]
    private static partial void LogHistoryErased(ILogger logger, string grainId, string storeName, long toVersion, long version, long eventsErased, int segments);
}
