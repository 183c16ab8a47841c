using Actors.Reminders;
using Actors.Runtime;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal.Reminders;

/// <content>Loading a partition from its stream, appending batches, checkpoints and the partition-count check.</content>
public sealed partial class WriteAheadLogReminderTable
{
    private async Task EnsureLoadedAsync(ReminderPartitionLog log, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _metaChecked) is false)
        {
            await CheckPartitionCountAsync(cancellationToken);
        }

        lock (log.Sync)
        {
            if (log.Loaded)
            {
                return;
            }
        }

        await log.LoadGate.WaitAsync(cancellationToken);
        try
        {
            lock (log.Sync)
            {
                if (log.Loaded)
                {
                    return;
                }
            }

            IEventLog eventLog = await _store.GetLogAsync(cancellationToken);
            StreamReadResult stream = await eventLog.ReadStreamAsync(log.StreamId, ReadBound.Latest, cancellationToken);
            var rows = new Dictionary<(GrainId, string), ReminderEntry>();
            if (stream.Checkpoint is { } checkpoint)
            {
                ReminderRecordCodec.ReadCheckpoint(checkpoint.State.Span, checkpoint.Version, log.StreamId, rows);
            }

            foreach (StoredEvent stored in stream.Events)
            {
                ReminderRecordCodec.Apply(stored.Payload.Span, stored.Version, log.StreamId, rows);
            }

            lock (log.Sync)
            {
                log.Rows.Clear();
                foreach (KeyValuePair<(GrainId, string), ReminderEntry> row in rows)
                {
                    log.Rows.Add(row.Key, row.Value);
                }

                log.Version = stream.Version;
                log.EventsSinceCheckpoint = stream.Events.Count;
                log.Loaded = true;
            }

            LogPartitionLoaded(_logger, log.Number, _store.Name, rows.Count, stream.Version, stream.Events.Count);
        }
        finally
        {
            log.LoadGate.Release();
        }
    }

    /// <summary>Appends one batch: decides each write against the rows (and the writes before it), appends the events, then applies them.</summary>
    private async Task AppendBatchAsync(ReminderPartitionLog log, List<ReminderWrite> batch)
    {
        var changed = new Dictionary<(GrainId, string), ReminderEntry?>();
        var events = new List<ReadOnlyMemory<byte>>(batch.Count);
        var results = new object?[batch.Count];
        long expected;
        long version;
        lock (log.Sync)
        {
            expected = version = log.Version;
            for (int i = 0; i < batch.Count; i++)
            {
                ReminderWrite write = batch[i];
                var key = (write.GrainId, write.Name);
                ReminderEntry? current = changed.TryGetValue(key, out ReminderEntry? pending) ? pending : log.Rows.GetValueOrDefault(key);
                switch (write.Kind)
                {
                    case ReminderRecordKind.Upsert:
                        string eTag = ReminderRecordCodec.ETagOf(++version);
                        changed[key] = new ReminderEntry(write.GrainId, write.Name, write.StartAt, write.Period, eTag, null);
                        events.Add(ReminderRecordCodec.EncodeUpsert(write.GrainId, write.Name, write.StartAt, write.Period));
                        results[i] = eTag;
                        break;
                    case ReminderRecordKind.Remove:
                        bool matches = current is not null && current.ETag == write.ETag;
                        if (matches)
                        {
                            version++;
                            changed[key] = null;
                            events.Add(ReminderRecordCodec.EncodeRemove(write.GrainId, write.Name, write.ETag));
                        }

                        results[i] = matches;
                        break;
                    default:
                        if (current is not null && current.ETag == write.ETag)
                        {
                            version++;
                            changed[key] = current with { LastTickTime = write.TickTime };
                            events.Add(ReminderRecordCodec.EncodeTick(write.GrainId, write.Name, write.ETag, write.TickTime));
                        }

                        break;
                }
            }
        }

        if (events.Count > 0)
        {
            IEventLog eventLog = await _store.GetLogAsync();
            AppendResult appended = await eventLog.AppendAsync(log.StreamId, expected, events);
            if (appended.LastVersion != version)
            {
                throw new ReminderException($"Reminder partition stream '{log.StreamId}' reached version {appended.LastVersion} after an append expected to end at {version}.");
            }
        }

        bool checkpoint;
        lock (log.Sync)
        {
            foreach (KeyValuePair<(GrainId, string), ReminderEntry?> change in changed)
            {
                if (change.Value is null)
                {
                    log.Rows.Remove(change.Key);
                }
                else
                {
                    log.Rows[change.Key] = change.Value;
                }
            }

            log.Version = version;
            log.EventsSinceCheckpoint += events.Count;
            checkpoint = log.EventsSinceCheckpoint >= CheckpointEveryEvents;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }

        if (checkpoint)
        {
            await WriteCheckpointAsync(log);
        }
    }

    /// <summary>Writes the partition's rows as a checkpoint; a failure is logged (the next load only replays more).</summary>
    private async Task WriteCheckpointAsync(ReminderPartitionLog log)
    {
        byte[] state;
        long version;
        lock (log.Sync)
        {
            state = ReminderRecordCodec.EncodeCheckpoint(log.Rows.Values);
            version = log.Version;
        }

        try
        {
            IEventLog eventLog = await _store.GetLogAsync();
            await eventLog.WriteCheckpointAsync(log.StreamId, version, state);
            lock (log.Sync)
            {
                log.EventsSinceCheckpoint = 0;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCheckpointFailed(_logger, ex, log.Number, _store.Name, version);
        }
    }

    /// <summary>
    /// Checks (once) that the store's reminders were written with the configured partition count, recording it on first
    /// use: rows written under another count would sit in partitions nobody reads, so a mismatch fails loudly instead.
    /// </summary>
    private async Task CheckPartitionCountAsync(CancellationToken cancellationToken)
    {
        await _metaGate.WaitAsync(cancellationToken);
        try
        {
            if (_metaChecked)
            {
                return;
            }

            IEventLog eventLog = await _store.GetLogAsync(cancellationToken);
            StreamReadResult meta = await eventLog.ReadStreamAsync(MetaStreamId, ReadBound.Latest, cancellationToken);
            if (meta.Events.Count == 0)
            {
                await eventLog.AppendAsync(MetaStreamId, meta.Version, [ReminderRecordCodec.EncodeMeta(_partitioner.PartitionCount)], cancellationToken);
            }
            else
            {
                StoredEvent last = meta.Events[^1];
                int stored = ReminderRecordCodec.ReadMeta(last.Payload.Span, last.Version, MetaStreamId);
                if (stored != _partitioner.PartitionCount)
                {
                    throw new ReminderException(
                        $"Write-ahead-log store '{_store.Name}' holds reminders in {stored} partitions, but the reminder partitioner has {_partitioner.PartitionCount} (ReminderOptions.PartitionCount). Rows would be lost in partitions nobody reads; configure PartitionCount = {stored}.");
                }
            }

            Volatile.Write(ref _metaChecked, true);
        }
        finally
        {
            _metaGate.Release();
        }
    }

    [LoggerMessage(40, LogLevel.Debug, "Reminder partition {Partition} of write-ahead-log store {StoreName} loaded {Rows} rows at version {Version} (replayed {Events} events)")]
    private static partial void LogPartitionLoaded(ILogger logger, int partition, string storeName, int rows, long version, int events);

    [LoggerMessage(41, LogLevel.Warning, "Reminder partition {Partition} of write-ahead-log store {StoreName} could not write a checkpoint at version {Version}; the next load replays more events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, int partition, string storeName, long version);
}
