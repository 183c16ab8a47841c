using System.Diagnostics;
using Actors.Persistence.Wal.Diagnostics;
using Actors.Persistence.Wal.Format;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal;

/// <content>Loading a grain's states from its stream, and checkpoints.</content>
public sealed partial class GrainStateStore
{
    private async Task EnsureLoadedAsync(GrainId grainId, StreamHead head, CancellationToken cancellationToken)
    {
        IEventLog log = await _store.GetLogAsync(cancellationToken);
        if (head.Loaded && log.GetStreamInfo(head.StreamId).Version == head.Version)
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();
        StreamReadResult read;
        try
        {
            read = await log.ReadStreamAsync(head.StreamId, ReadBound.Latest, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new GrainStorageLoadException(grainId, _store.Name, 0, $"reading the stream failed: {ex.Message}", ex);
        }

        PersistenceInstruments.Loaded(_store.Name, read.Events.Count, Stopwatch.GetElapsedTime(started));
        head.States.Clear();
        if (read.Checkpoint is { } checkpoint)
        {
            if (!GrainCheckpoint.TryRead(checkpoint.State, out var entries, out string error))
            {
                throw new GrainStorageLoadException(grainId, _store.Name, checkpoint.Version, $"the checkpoint is not a grain checkpoint: {error}");
            }

            foreach (CheckpointEntry entry in entries)
            {
                if (entry.Kind == GrainRecordKind.JournalEvent)
                {
                    throw MixedStream(grainId, checkpoint.Version);
                }

                if (entry.Kind == GrainRecordKind.StateWrite)
                {
                    head.States[entry.Name] = new StoredState(entry.Version, entry.Payload);
                }
            }
        }

        long bytes = 0;
        foreach (StoredEvent stored in read.Events)
        {
            if (!GrainRecord.TryRead(stored.Payload, out GrainRecord record, out string error))
            {
                throw new GrainStorageLoadException(grainId, _store.Name, stored.Version, $"the record is not a grain record: {error}");
            }

            switch (record.Kind)
            {
                case GrainRecordKind.StateWrite:
                    head.States[record.Name] = new StoredState(stored.Version, record.Payload);
                    break;
                case GrainRecordKind.StateClear:
                    head.States.Remove(record.Name);
                    break;
                default:
                    throw MixedStream(grainId, stored.Version);
            }

            bytes += stored.Payload.Length;
        }

        head.Version = read.Version;
        head.RecordsSinceCheckpoint = read.Events.Count;
        head.BytesSinceCheckpoint = bytes;
        head.Loaded = true;
    }

    /// <summary>
    /// Encodes the grain's states as a checkpoint and hands it to the log on the caller's call (so it precedes the grain's
    /// later writes), without waiting for it to become durable: the state records are already durable, the checkpoint
    /// only shortens the next load. The schedule counts from this attempt, whatever its outcome; a failure is logged and
    /// the next checkpoint follows after another interval. The head's <c>CheckpointsInFlight</c> completes when it is
    /// durable or failed (eviction and erasure wait for it).
    /// </summary>
    private void StartCheckpoint(GrainId grainId, StreamHead head)
    {
        long version = head.Version;
        head.RecordsSinceCheckpoint = 0;
        head.BytesSinceCheckpoint = 0;
        byte[] checkpoint;
        try
        {
            checkpoint = GrainCheckpoint.ToArray(
                [.. head.States.Select(kv => new CheckpointEntry(GrainRecordKind.StateWrite, kv.Key, kv.Value.Version, kv.Value.Payload))],
                _store.Options.Compression);
        }
        catch (Exception ex)
        {
            LogCheckpointFailed(_logger, ex, grainId.ToString(), _store.Name, version);
            return;
        }

        Task started = WriteCheckpointInBackgroundAsync(grainId, head.StreamId, version, checkpoint);
        head.CheckpointsInFlight = head.CheckpointsInFlight.IsCompleted ? started : Task.WhenAll(head.CheckpointsInFlight, started);
    }

    /// <summary>Writes a checkpoint; never faults (a failure is logged: the state records stay the durable truth).</summary>
    private async Task WriteCheckpointInBackgroundAsync(GrainId grainId, string streamId, long version, byte[] checkpoint)
    {
        try
        {
            IEventLog log = await _store.GetLogAsync(CancellationToken.None);
            await log.WriteCheckpointAsync(streamId, version, checkpoint, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogCheckpointFailed(_logger, ex, grainId.ToString(), _store.Name, version);
            return;
        }

        PersistenceInstruments.CheckpointWritten(_store.Name);
    }

    private GrainStorageLoadException MixedStream(GrainId grainId, long version) => new(
        grainId,
        _store.Name,
        version,
        "the stream holds journal events; a journaled grain cannot share its write-ahead-log store with [PersistentState] states of the same grain (use another store for them).");

    [LoggerMessage(30, LogLevel.Warning, "Grain {GrainId} could not write a state checkpoint at version {Version} to store {StoreName}; loading will read more records")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string grainId, string storeName, long version);
}
