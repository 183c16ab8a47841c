using System.Collections.Concurrent;
using Actors.Runtime;
using Actors.Streams.Storage;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;
using Microsoft.Extensions.Logging;

namespace Actors.Streams;

/// <content>Loading a stream (queue version, subscription table), the directory, and the table's single writer.</content>
internal sealed partial class StreamProvider
{
    private readonly ConcurrentDictionary<string, StreamDirectory> _directories = new(StringComparer.Ordinal);

    /// <summary>The stream's state, loaded from the log on first use (implicit subscriptions added, delivery started).</summary>
    private async ValueTask<StreamState> GetLoadedAsync(StreamId streamId)
    {
        StreamState state = _streams.GetOrAdd(streamId, id => new StreamState(id, StreamLogIds.Queue(Name, id), StreamLogIds.Subscriptions(Name, id), PartitionOf(id)));
        if (Volatile.Read(ref state.LoadedFlag))
        {
            return state;
        }

        await state.LoadGate.WaitAsync();
        try
        {
            if (state.LoadedFlag)
            {
                return state;
            }

            await EnsureInDirectoryAsync(streamId, state.Partition);
            IEventLog log = await _logSource(CancellationToken.None);
            StreamInfo queue = log.GetStreamInfo(state.QueueLogId);
            StreamReadResult table = await log.ReadStreamAsync(state.TableLogId);
            var entries = new Dictionary<Guid, SubscriptionEntry>();
            if (table.Checkpoint is { } checkpoint)
            {
                SubscriptionRecordCodec.ReadCheckpoint(checkpoint.State.Span, state.TableLogId, checkpoint.Version, entries);
            }

            foreach (StoredEvent stored in table.Events)
            {
                SubscriptionRecordCodec.Apply(stored.Payload.Span, state.TableLogId, stored.Version, entries);
            }

            var added = new List<TableWrite>();
            lock (state.Sync)
            {
                EnsureServedLocked(state);
                state.QueueVersion = Math.Max(state.QueueVersion, queue.Version);
                state.TrimmedThrough = queue.CheckpointVersion;
                state.TableVersion = table.Version;
                state.TableEventsSinceCheckpoint = table.Events.Count;
                foreach (SubscriptionEntry entry in entries.Values)
                {
                    state.Subscriptions[entry.Id] = new SubscriptionState(entry.Id, entry.GrainId, entry.IsImplicit, entry.Cursor) { DurableCursor = entry.Cursor, IsDurable = true };
                }

                foreach ((Guid id, GrainId grainId) in Implicit.For(streamId))
                {
                    if (!state.Subscriptions.ContainsKey(id))
                    {
                        var subscription = new SubscriptionState(id, grainId, isImplicit: true, cursor: 0);
                        state.Subscriptions.Add(id, subscription);
                        var write = new TableWrite(SubscriptionRecordCodec.EncodeSubscribe(new SubscriptionEntry(id, grainId, true, 0)), subscription);
                        state.PendingWrites.Add(write);
                        added.Add(write);
                    }
                }

                Volatile.Write(ref state.LoadedFlag, true);
                foreach (SubscriptionState subscription in state.Subscriptions.Values)
                {
                    StartDeliveryLocked(state, subscription);
                }
            }

            LogStreamLoaded(_logger, Name, streamId, state.QueueVersion, entries.Count, added.Count);
            if (added.Count > 0)
            {
                KickWriter(state);
            }

            return state;
        }
        finally
        {
            state.LoadGate.Release();
        }
    }

    /// <summary>Records a stream in its directory the first time it is used, so delivery resumes after a restart or a move.</summary>
    private async Task EnsureInDirectoryAsync(StreamId streamId, int partition)
    {
        StreamDirectory directory = DirectoryOf(partition);
        await directory.Gate.WaitAsync();
        try
        {
            HashSet<StreamId> known = await LoadDirectoryLockedAsync(directory);
            if (known.Contains(streamId))
            {
                return;
            }

            IEventLog log = await _logSource(CancellationToken.None);
            AppendResult appended = await log.AppendAsync(directory.LogId, directory.Version, [SubscriptionRecordCodec.EncodeDirectory(streamId)]);
            directory.Version = appended.LastVersion;
            known.Add(streamId);
        }
        finally
        {
            directory.Gate.Release();
        }
    }

    /// <summary>The streams a directory lists (read once, then kept up to date by this silo).</summary>
    private async Task<StreamId[]> ReadDirectoryAsync(StreamDirectory directory)
    {
        await directory.Gate.WaitAsync();
        try
        {
            return [.. await LoadDirectoryLockedAsync(directory)];
        }
        finally
        {
            directory.Gate.Release();
        }
    }

    private async Task<HashSet<StreamId>> LoadDirectoryLockedAsync(StreamDirectory directory)
    {
        if (directory.Known is { } known)
        {
            return known;
        }

        IEventLog log = await _logSource(CancellationToken.None);
        StreamReadResult read = await log.ReadStreamAsync(directory.LogId);
        var streams = new HashSet<StreamId>();
        foreach (StoredEvent stored in read.Events)
        {
            streams.Add(SubscriptionRecordCodec.ReadDirectory(stored.Payload.Span, directory.LogId, stored.Version));
        }

        directory.Version = read.Version;
        return directory.Known = streams;
    }

    /// <summary>The directory of a partition's streams in a cluster (<paramref name="partition"/> &gt;= 0), or of every stream on a single silo.</summary>
    private StreamDirectory DirectoryOf(int partition)
        => _directories.GetOrAdd(partition < 0 ? StreamLogIds.Directory(Name) : StreamLogIds.Directory(Name, partition), static id => new StreamDirectory(id));

    /// <summary>Queues a durable change of the table; completes when it is durable.</summary>
    private Task EnqueueWriteAsync(StreamState state, TableWrite write)
    {
        lock (state.Sync)
        {
            state.PendingWrites.Add(write);
        }

        KickWriter(state);
        return write.Completion.Task;
    }

    private void KickWriter(StreamState state)
    {
        lock (state.Sync)
        {
            if (state.Writing || _abandoned || (state.PendingWrites.Count == 0 && state.PendingCursors.Count == 0))
            {
                return;
            }

            state.Writing = true;
        }

        _ = Task.Run(() => DrainTableAsync(state));
    }

    /// <summary>The stream table's single writer: appends every queued change and cursor move, batch after batch.</summary>
    private async Task DrainTableAsync(StreamState state)
    {
        while (true)
        {
            List<TableWrite> writes;
            Dictionary<Guid, long> cursors;
            long expected;
            lock (state.Sync)
            {
                if (_abandoned || (state.PendingWrites.Count == 0 && state.PendingCursors.Count == 0))
                {
                    FinishWritingLocked(state);
                    return;
                }

                writes = state.PendingWrites;
                cursors = state.PendingCursors;
                state.PendingWrites = [];
                state.PendingCursors = [];
                expected = state.TableVersion;
            }

            var records = new List<ReadOnlyMemory<byte>>(writes.Count + 1);
            records.AddRange(writes.Select(w => (ReadOnlyMemory<byte>)w.Record));
            if (cursors.Count > 0)
            {
                records.Add(SubscriptionRecordCodec.EncodeCursors(cursors));
            }

            try
            {
                IEventLog log = await _logSource(CancellationToken.None);
                AppendResult appended = await log.AppendAsync(state.TableLogId, expected, records);
                bool checkpoint;
                lock (state.Sync)
                {
                    state.TableVersion = appended.LastVersion;
                    state.TableEventsSinceCheckpoint += records.Count;
                    checkpoint = state.TableEventsSinceCheckpoint >= Options.TableCheckpointEveryEvents;
                    foreach (TableWrite write in writes)
                    {
                        if (write.Subscription is { } subscription)
                        {
                            subscription.IsDurable = true;
                        }
                    }

                    foreach ((Guid id, long cursor) in cursors)
                    {
                        if (state.Subscriptions.TryGetValue(id, out SubscriptionState? subscription))
                        {
                            subscription.DurableCursor = Math.Max(subscription.DurableCursor, cursor);
                        }
                    }
                }

                foreach (TableWrite write in writes)
                {
                    write.Completion.TrySetResult();
                }

                if (checkpoint)
                {
                    await WriteTableCheckpointAsync(state, log);
                }

                await TrimAsync(state, log);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                lock (state.Sync)
                {
                    // The cursors go back for the next attempt (a newer move made meanwhile wins); nothing is lost but time.
                    foreach ((Guid id, long cursor) in cursors)
                    {
                        state.PendingCursors.TryAdd(id, cursor);
                    }

                    FinishWritingLocked(state);
                }

                LogTableWriteFailed(_logger, ex, Name, state.StreamId, writes.Count, cursors.Count);
                var failure = new StreamStorageFailedException(Name, state.StreamId, "recording a subscription change", ex);
                foreach (TableWrite write in writes)
                {
                    write.Completion.TrySetException(failure);
                }

                return;
            }
        }
    }

    private static void FinishWritingLocked(StreamState state)
    {
        state.Writing = false;
        state.WriterIdle?.TrySetResult();
        state.WriterIdle = null;
    }

    /// <summary>Completes when the stream's writer is idle.</summary>
    private static Task WriterIdleAsync(StreamState state)
    {
        lock (state.Sync)
        {
            return state.Writing ? (state.WriterIdle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
        }
    }

    /// <summary>Writes the durable table as a checkpoint; a failure is logged (the next load replays more).</summary>
    private async Task WriteTableCheckpointAsync(StreamState state, IEventLog log)
    {
        byte[] snapshot;
        long version;
        lock (state.Sync)
        {
            snapshot = SubscriptionRecordCodec.EncodeCheckpoint(
                [.. state.Subscriptions.Values.Where(s => s.IsDurable).Select(s => new SubscriptionEntry(s.Id, s.GrainId, s.IsImplicit, s.DurableCursor))]);
            version = state.TableVersion;
        }

        try
        {
            await log.WriteCheckpointAsync(state.TableLogId, version, snapshot);
            lock (state.Sync)
            {
                state.TableEventsSinceCheckpoint = 0;
            }
        }
        catch (Exception ex) when (ex is WalException or ObjectDisposedException)
        {
            LogCheckpointFailed(_logger, ex, Name, state.StreamId, version);
        }
    }

    /// <summary>Under <see cref="StreamRetention.UntilDelivered"/>: makes the events every subscription acknowledged durably reclaimable.</summary>
    private async Task TrimAsync(StreamState state, IEventLog log)
    {
        if (Options.Retention != StreamRetention.UntilDelivered)
        {
            return;
        }

        long through;
        lock (state.Sync)
        {
            if (state.Subscriptions.Count == 0)
            {
                return;
            }

            through = state.Subscriptions.Values.Min(s => s.IsDurable ? s.DurableCursor : 0);
            if (through - state.TrimmedThrough < Options.TrimEveryEvents)
            {
                return;
            }
        }

        try
        {
            await log.WriteCheckpointAsync(state.QueueLogId, through, new byte[] { 1 });
            lock (state.Sync)
            {
                state.TrimmedThrough = Math.Max(state.TrimmedThrough, through);
            }
        }
        catch (Exception ex) when (ex is WalException or ObjectDisposedException)
        {
            LogCheckpointFailed(_logger, ex, Name, state.StreamId, through);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Stream provider {Provider} loaded stream {StreamId} at sequence number {Version} with {Subscriptions} subscriptions ({Added} implicit ones added)")]
    private static partial void LogStreamLoaded(ILogger logger, string provider, StreamId streamId, long version, int subscriptions, int added);

    [LoggerMessage(2, LogLevel.Warning, "Stream provider {Provider} could not record {Writes} subscription changes and {Cursors} cursors of stream {StreamId}; cursors are retried with the next write")]
    private static partial void LogTableWriteFailed(ILogger logger, Exception exception, string provider, StreamId streamId, int writes, int cursors);

    [LoggerMessage(3, LogLevel.Warning, "Stream provider {Provider} could not write a checkpoint of stream {StreamId} at {Version}")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string provider, StreamId streamId, long version);
}
