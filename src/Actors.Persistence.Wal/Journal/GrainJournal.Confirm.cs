using Actors.Persistence.Wal.Format;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal;

/// <content>Confirmation (one atomic append per batch) and checkpoints.</content>
public sealed partial class GrainJournal<TState, TEvent>
{
    /// <summary>
    /// Appends every unconfirmed event as one atomic batch and completes when it is durable under the store's sync
    /// policy; then writes a checkpoint if the policy says so.
    /// </summary>
    /// <returns>The number of events confirmed by this call.</returns>
    /// <exception cref="EventEncodingException">The log rejected the batch (nothing stored); the batch's events are discarded and the journal stays usable.</exception>
    /// <exception cref="GrainStorageFailedException">The write failed with an unknown outcome; the journal is failed and the grain must be reactivated.</exception>
    public async Task<int> ConfirmAsync(CancellationToken cancellationToken = default)
    {
        await _confirmGate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfFailed();
            int count = _unconfirmed.Count;
            if (count == 0)
            {
                return 0;
            }

            var records = new ReadOnlyMemory<byte>[count];
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                records[i] = _unconfirmed[i].Record;
                bytes += records[i].Length;
            }

            long expected = ConfirmedVersion;
            AppendResult result;
            try
            {
                IEventLog log = await _store.GetLogAsync(CancellationToken.None);
                result = await log.AppendAsync(StreamId, expected, records, CancellationToken.None);
            }
            catch (ArgumentException ex)
            {
                DiscardUnconfirmed(count);
                throw new EventEncodingException(typeof(TEvent), $"Store '{_store.Name}' rejected the batch of {count} events: {ex.Message}", ex);
            }
            catch (Exception ex)
            {
                _failure = new GrainStorageFailedException(GrainId, _store.Name, expected, ex);
                throw _failure;
            }

            Advance(count, result.LastVersion);
            _eventsSinceCheckpoint += count;
            _bytesSinceCheckpoint += bytes;
            if (Policy.IsDue(_eventsSinceCheckpoint, _bytesSinceCheckpoint))
            {
                await WriteCheckpointCoreAsync(cancellationToken);
            }

            return count;
        }
        finally
        {
            _confirmGate.Release();
        }
    }

    /// <summary>
    /// Graceful deactivation: writes a checkpoint when the policy asks for one on deactivation and events follow the
    /// latest checkpoint. Unconfirmed events are not confirmed. Never throws for checkpoint problems (they are logged).
    /// </summary>
    public async Task DeactivateAsync(CancellationToken cancellationToken = default)
    {
        if (!Policy.OnDeactivation || IsFailed || _eventsSinceCheckpoint == 0 || _store.Log is null)
        {
            return;
        }

        await _confirmGate.WaitAsync(cancellationToken);
        try
        {
            await WriteCheckpointCoreAsync(cancellationToken);
        }
        finally
        {
            _confirmGate.Release();
        }
    }

    /// <summary>Writes a checkpoint of the confirmed state now (if any event follows the latest one).</summary>
    /// <returns>True when a checkpoint was written.</returns>
    public async Task<bool> WriteCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await _confirmGate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfFailed();
            return await WriteCheckpointCoreAsync(cancellationToken);
        }
        finally
        {
            _confirmGate.Release();
        }
    }

    private async Task<bool> WriteCheckpointCoreAsync(CancellationToken cancellationToken)
    {
        if (ConfirmedVersion == 0 || ConfirmedVersion == CheckpointVersion)
        {
            return false;
        }

        long version = ConfirmedVersion;
        try
        {
            ReadOnlyMemory<byte> state = _store.Codec.EncodeState(_confirmed, typeof(TState));
            byte[] envelope = GrainCheckpoint.ToArray([new CheckpointEntry(GrainRecordKind.JournalEvent, "", version, state)]);
            IEventLog log = await _store.GetLogAsync(cancellationToken);
            await log.WriteCheckpointAsync(StreamId, version, envelope, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The events are durable; a missing checkpoint only makes the next activation replay more.
            LogCheckpointFailed(_logger, ex, GrainId.ToString(), _store.Name, version);
            return false;
        }

        CheckpointVersion = version;
        _eventsSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
        LogCheckpointWritten(_logger, GrainId.ToString(), _store.Name, version);
        return true;
    }

    private void Advance(int count, long lastVersion)
    {
        if (count == _unconfirmed.Count && _tentativeValid && _tentative is not null)
        {
            _confirmed = _tentative;
            _tentative = null;
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                _apply(_confirmed, _unconfirmed[i].Event);
            }
        }

        _unconfirmed.RemoveRange(0, count);
        ConfirmedVersion = lastVersion;
        if (_unconfirmed.Count == 0 && _tentativeValid)
        {
            _tentative = null;
        }
    }

    private void DiscardUnconfirmed(int count)
    {
        _unconfirmed.RemoveRange(0, count);
        _tentativeValid = false;
    }

    [LoggerMessage(20, LogLevel.Debug, "Grain {GrainId} wrote a checkpoint at version {Version} to store {StoreName}")]
    private static partial void LogCheckpointWritten(ILogger logger, string grainId, string storeName, long version);

    [LoggerMessage(21, LogLevel.Warning, "Grain {GrainId} could not write a checkpoint at version {Version} to store {StoreName}; activation will replay more events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string grainId, string storeName, long version);
}
