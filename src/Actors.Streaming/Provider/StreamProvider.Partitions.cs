using System.Collections.Concurrent;
using Actors.Persistence.Wal;
using Actors.Runtime;
using Actors.Streams.Cluster;
using Actors.Streams.Storage;
using Microsoft.Extensions.Logging;
using StreamId = Actors.Runtime.StreamId;

namespace Actors.Streams;

/// <content>
/// The provider in a cluster (its log is an <see cref="IPartitionedEventLog"/>): a stream's queue, subscription table and
/// directory entry live in the partition of its agent grain (<c>streamagent/{P}:{len(ns)}:ns:key</c>); every operation goes
/// through the agent, which runs on the partition's owner; the owner loads a partition's streams when its log opens here
/// (starting delivery from the durable cursors) and stops their delivery, recording the acknowledged cursors, before the
/// log closes (hand-off, silo stop). Delivery is at least once across moves: what a subscriber acknowledged after the
/// last recorded cursor is delivered again by the new owner.
/// </content>
internal sealed partial class StreamProvider : ILogPartitionParticipant
{
    private readonly ConcurrentDictionary<int, Task> _attachedPartitions = new();
    private IPartitionedEventLog? _partitioned;
    private IDisposable? _participation;

    /// <inheritdoc />
    public bool TryGetPartition(string logStreamId, out int partition)
    {
        partition = -1;
        if (_partitioned is not { } log || !StreamLogIds.TryParse(logStreamId, Name, out string? key, out int directoryPartition))
        {
            return false;
        }

        partition = key is null ? directoryPartition : log.GetPartition(AgentId(key));
        return true;
    }

    /// <inheritdoc />
    public Task OnAttachedAsync(int partition)
    {
        if (_stopping.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var load = new Task<Task>(() => LoadPartitionAsync(partition));
        if (_attachedPartitions.TryAdd(partition, load.Unwrap()))
        {
            load.Start(TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task OnDetachingAsync(int partition)
    {
        if (_attachedPartitions.TryRemove(partition, out Task? loading))
        {
            await loading;
        }

        StreamState[] leaving = [.. _streams.Values.Where(s => s.Partition == partition)];
        foreach (StreamState state in leaving)
        {
            lock (state.Sync)
            {
                state.Detached = true;
                foreach (SubscriptionState subscription in state.Subscriptions.Values)
                {
                    // A client's pull waiting here returns empty: its next pull reaches the new owner.
                    subscription.Sink?.Release();
                }
            }
        }

        foreach (StreamState state in leaving)
        {
            await WriterIdleAsync(state);
            KickWriter(state);
            await WriterIdleAsync(state);
            _streams.TryRemove(new KeyValuePair<StreamId, StreamState>(state.StreamId, state));
        }

        _directories.TryRemove(StreamLogIds.Directory(Name, partition), out _);
        LogPartitionReleased(_logger, Name, partition, leaving.Length);
    }

    /// <summary>The stream's agent when the provider runs in a cluster (operations go to its partition's owner); null on a single silo.</summary>
    private IStreamAgentGrain? AgentFor(StreamId streamId)
        => _partitioned is null ? null : GrainFactory.GetGrain<IStreamAgentGrain>(StreamLogIds.Key(Name, streamId));

    /// <summary>The partition holding the stream in a cluster; -1 on a single silo.</summary>
    private int PartitionOf(StreamId streamId) => _partitioned is { } log ? log.GetPartition(AgentId(StreamLogIds.Key(Name, streamId))) : -1;

    private static GrainId AgentId(string key) => new(StreamAgentGrain.TypeName, key);

    private void StartPartitioned(IPartitionedEventLog log)
    {
        _partitioned = log;
        _participation = log.AddParticipant(this);
        foreach (int partition in log.ServedPartitions)
        {
            _ = OnAttachedAsync(partition);
        }

        LogStartedPartitioned(_logger, Name, log.ServedPartitions.Count);
    }

    /// <summary>Loads every stream the partition's directory lists, which restarts their delivery.</summary>
    private async Task LoadPartitionAsync(int partition)
    {
        try
        {
            StreamId[] known = await ReadDirectoryAsync(DirectoryOf(partition));
            foreach (StreamId streamId in known)
            {
                await GetLoadedAsync(streamId);
            }

            LogPartitionLoaded(_logger, Name, partition, known.Length);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The partition left again meanwhile, or its log failed: delivery of its streams resumes when one is used here.
            LogPartitionLoadFailed(_logger, ex, Name, partition);
        }
    }

    /// <summary>Refuses to keep a stream loaded whose partition is not open here (it moved away while it loaded).</summary>
    private void EnsureServedLocked(StreamState state)
    {
        if (_partitioned is not null && !_attachedPartitions.ContainsKey(state.Partition))
        {
            throw new PartitionUnavailableException(state.Partition, "",
                $"stream {state.StreamId} of provider '{Name}' lives in partition {state.Partition}, whose log is not open on this silo");
        }
    }

    [LoggerMessage(21, LogLevel.Information, "Stream provider {Provider} started in a cluster; {Partitions} partitions served here so far")]
    private static partial void LogStartedPartitioned(ILogger logger, string provider, int partitions);

    [LoggerMessage(22, LogLevel.Information, "Stream provider {Provider} loaded partition {Partition}: {Streams} streams")]
    private static partial void LogPartitionLoaded(ILogger logger, string provider, int partition, int streams);

    [LoggerMessage(23, LogLevel.Information, "Stream provider {Provider} released partition {Partition}: {Streams} streams stopped, cursors recorded")]
    private static partial void LogPartitionReleased(ILogger logger, string provider, int partition, int streams);

    [LoggerMessage(24, LogLevel.Warning, "Stream provider {Provider} could not load the streams of partition {Partition}")]
    private static partial void LogPartitionLoadFailed(ILogger logger, Exception exception, string provider, int partition);
}
