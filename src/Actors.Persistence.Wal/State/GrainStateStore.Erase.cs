using Actors.Persistence.Wal.Diagnostics;
using Actors.Persistence.Wal.Format;
using Actors.Wal;

namespace Actors.Persistence.Wal;

/// <content>
/// Physical clears, in both history modes: a clear is followed by a checkpoint of the states that remain and an erase of
/// every record up to it, so the cleared value leaves the log's files at the next compaction (the segments holding it,
/// superseded checkpoints included, are compacted and deleted).
/// </content>
public sealed partial class GrainStateStore
{
    /// <summary>
    /// The checkpoint a write with clears leaves behind (the states that remain, the written ones at the versions the
    /// append will give them), or null when nothing is cleared.
    /// </summary>
    /// <exception cref="Actors.Storage.StateRejectedException">The checkpoint would exceed <see cref="WriteAheadLogStoreOptions.MaxRecordSizeBytes"/>; nothing was stored.</exception>
    private byte[]? CheckpointAfterClear(GrainId grainId, StreamHead head, IReadOnlyList<StateChange> changes, ReadOnlyMemory<byte>[] payloads)
    {
        if (!changes.Any(c => c.IsClear))
        {
            return null;
        }

        var remaining = new Dictionary<string, StoredState>(head.States, StringComparer.Ordinal);
        for (int i = 0; i < changes.Count; i++)
        {
            if (changes[i].IsClear)
            {
                remaining.Remove(changes[i].StateName);
            }
            else
            {
                remaining[changes[i].StateName] = new StoredState(head.Version + 1 + i, payloads[i]);
            }
        }

        byte[] checkpoint = GrainCheckpoint.ToArray(
            [.. remaining.Select(kv => new CheckpointEntry(GrainRecordKind.StateWrite, kv.Key, kv.Value.Version, kv.Value.Payload))],
            _store.Options.Compression);
        if (checkpoint.Length > _store.Options.MaxRecordSizeBytes)
        {
            throw StorageErrors.Rejected(grainId, _store.Name, string.Join("', '", changes.Where(c => c.IsClear).Select(c => c.StateName)),
                $"clearing it erases the grain's older records, which needs a checkpoint of its other states first; that checkpoint takes {checkpoint.Length} bytes, more than {nameof(WriteAheadLogStoreOptions.MaxRecordSizeBytes)} ({_store.Options.MaxRecordSizeBytes}). Nothing was stored.", null);
        }

        return checkpoint;
    }

    /// <summary>Writes <paramref name="checkpoint"/> at the head's version, then erases every record up to it.</summary>
    /// <exception cref="GrainStorageFailedException">The checkpoint or the erase failed: the clear is stored, whether its erase happened is unknown.</exception>
    private async Task EraseClearedAsync(GrainId grainId, StreamHead head, byte[] checkpoint)
    {
        long version = head.Version;
        try
        {
            IEventLog log = await _store.GetLogAsync(CancellationToken.None);
            await log.WriteCheckpointAsync(head.StreamId, version, checkpoint, CancellationToken.None);
            PersistenceInstruments.CheckpointWritten(_store.Name);
            head.CheckpointVersion = version;
            head.RecordsSinceCheckpoint = 0;
            head.BytesSinceCheckpoint = 0;
            await log.DeleteEventsToAsync(head.StreamId, version, CancellationToken.None);
        }
        catch (Exception ex)
        {
            head.Loaded = false;
            PersistenceInstruments.Failed(_store.Name);
            throw new GrainStorageFailedException(grainId, _store.Name, version, ex);
        }
    }
}
