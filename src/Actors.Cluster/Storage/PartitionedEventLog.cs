using System.Collections.Concurrent;
using Actors.Cluster.Partitioning;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Reminders;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Storage;

/// <summary>
/// The <see cref="IEventLog"/> a write-ahead-log store sees in a cluster: each grain's stream goes to the log of the
/// grain's partition (one log per partition this silo serves, each with its own group commit). A stream of a partition
/// this silo does not serve is refused with <see cref="PartitionUnavailableException"/>; a write is refused with
/// <see cref="PartitionFencedException"/> once the silo's lease ended or its epoch for the partition is superseded.
/// </summary>
/// <remarks>
/// Stream ids are grain ids (<c>type/key</c>, see <c>GrainStreams</c>), or streams a registered
/// <see cref="ILogPartitionParticipant"/> places (stream queues), or the reminder table's partition streams
/// (<c>reminders:{partition}</c>, in the log of that partition). Statistics and positions are sums over the open
/// partition logs (they are not the LSN of any one log). Thread-safe.
/// </remarks>
internal sealed partial class PartitionedEventLog : IPartitionedEventLog
{
    private readonly PartitionLogHost _host;
    private readonly ConcurrentDictionary<int, ServedPartition> _served = new();
    private readonly object _participantsSync = new();
    private ILogPartitionParticipant[] _participants = [];

    public PartitionedEventLog(string storeName, WriteAheadLogOptions options, PartitionLogHost host)
    {
        StoreName = storeName;
        BaseOptions = options;
        _host = host;
    }

    /// <summary>The store this log serves.</summary>
    public string StoreName { get; }

    /// <summary>The store's engine options; each partition log uses them with its own directory.</summary>
    public WriteAheadLogOptions BaseOptions { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<int> ServedPartitions => [.. _served.Keys];

    /// <inheritdoc />
    public int PartitionCount => _host.PartitionCount;

    /// <inheritdoc />
    public int GetPartition(GrainId grainId) => PartitionMap.GetPartition(grainId, _host.PartitionCount);

    /// <inheritdoc />
    public IDisposable AddParticipant(ILogPartitionParticipant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        lock (_participantsSync)
        {
            _participants = [.. _participants, participant];
        }

        return new Registration(this, participant);
    }

    /// <summary>Tells every participant that <paramref name="partition"/>'s log is open here (a participant's failure is logged).</summary>
    public Task NotifyAttachedAsync(int partition, ILogger logger) => NotifyAsync(partition, logger, "attach", static (p, partition) => p.OnAttachedAsync(partition));

    /// <summary>Tells every participant that <paramref name="partition"/>'s log is about to close here (a participant's failure is logged).</summary>
    public Task NotifyDetachingAsync(int partition, ILogger logger) => NotifyAsync(partition, logger, "detach", static (p, partition) => p.OnDetachingAsync(partition));

    /// <inheritdoc />
    public long WrittenLsn => _served.Values.Sum(p => p.Log.WrittenLsn);

    /// <inheritdoc />
    public long DurableLsn => _served.Values.Sum(p => p.Log.DurableLsn);

    /// <summary>Starts routing partition <paramref name="partition"/>'s streams to <paramref name="log"/>, written under <paramref name="epoch"/>.</summary>
    public void Attach(int partition, IEventLog log, long epoch) => _served[partition] = new ServedPartition(log, epoch);

    /// <summary>Stops routing the partition's streams; returns its log (for the caller to close), or null.</summary>
    public IEventLog? Detach(int partition) => _served.TryRemove(partition, out ServedPartition? served) ? served.Log : null;

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
        => ForWrite(streamId).AppendAsync(streamId, expectedVersion, events, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
        => ForWrite(streamId).WriteCheckpointAsync(streamId, version, state, cancellationToken);

    /// <inheritdoc />
    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default)
        => ForWrite(streamId).DeleteStreamAsync(streamId, expectedVersion, cancellationToken);

    /// <inheritdoc />
    public ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
        => ForWrite(streamId).DeleteEventsToAsync(streamId, toVersion, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CheckpointDeletionResult> DeleteCheckpointsAsync(string streamId, CheckpointSelectionCriteria criteria, CancellationToken cancellationToken = default)
        => ForWrite(streamId).DeleteCheckpointsAsync(streamId, criteria, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default)
        => ForRead(streamId).Log.ReadStreamAsync(streamId, bound, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default)
        => ForRead(streamId).Log.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
        => ForRead(streamId).Log.ReadStreamEventsAsync(streamId, fromVersion, cancellationToken);

    /// <inheritdoc />
    public StreamInfo GetStreamInfo(string streamId) => ForRead(streamId).Log.GetStreamInfo(streamId);

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach (ServedPartition served in _served.Values)
        {
            await served.Log.FlushAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public LogStatistics GetStatistics()
    {
        LogStatistics[] all = _served.Values.Select(p => p.Log.GetStatistics()).ToArray();
        return new LogStatistics
        {
            SegmentCount = all.Sum(s => s.SegmentCount),
            StreamCount = all.Sum(s => s.StreamCount),
            TotalBytes = all.Sum(s => s.TotalBytes),
            LiveBytes = all.Sum(s => s.LiveBytes),
            AppendedRecords = all.Sum(s => s.AppendedRecords),
            AppendedBytes = all.Sum(s => s.AppendedBytes),
            Commits = all.Sum(s => s.Commits),
            Fsyncs = all.Sum(s => s.Fsyncs),
            SegmentsDeleted = all.Sum(s => s.SegmentsDeleted),
            SegmentsCompacted = all.Sum(s => s.SegmentsCompacted),
            ErasePasses = all.Sum(s => s.ErasePasses),
            CorruptRecordsSkipped = all.Sum(s => s.CorruptRecordsSkipped),
            ManifestWriteFailures = all.Sum(s => s.ManifestWriteFailures),
            WrittenLsn = all.Sum(s => s.WrittenLsn),
            DurableLsn = all.Sum(s => s.DurableLsn),
            IsFailed = all.Any(s => s.IsFailed),
        };
    }

    /// <summary>Closes every partition log (flushing it): the store is stopping.</summary>
    public ValueTask DisposeAsync() => _host.CloseStoreAsync(this);

    private IEventLog ForWrite(string streamId)
    {
        (int partition, ServedPartition served) = Find(streamId);
        if (!_host.CanWrite(partition, served.Epoch))
        {
            throw new PartitionFencedException(partition, served.Epoch, StoreName, streamId);
        }

        return served.Log;
    }

    private ServedPartition ForRead(string streamId) => Find(streamId).Served;

    private (int Partition, ServedPartition Served) Find(string streamId)
    {
        int partition = PartitionOf(streamId);
        return _served.TryGetValue(partition, out ServedPartition? served)
            ? (partition, served)
            : throw new PartitionUnavailableException(partition, _host.SiloName,
                $"silo '{_host.SiloName}' does not serve this partition's log (store '{StoreName}', stream '{streamId}'); the grain must run on the partition's owner");
    }

    private int PartitionOf(string streamId)
    {
        if (WriteAheadLogReminderTable.TryParsePartitionStream(streamId, out int reminderPartition))
        {
            // The reminder partitions of a cluster are its grain partitions (ClusterReminderPartitioner): a grain's
            // reminder rows live in its own partition's log and move with it.
            return reminderPartition < _host.PartitionCount
                ? reminderPartition
                : throw new ArgumentException($"Reminder stream '{streamId}' of store '{StoreName}' names partition {reminderPartition}, but the cluster has {_host.PartitionCount}.", nameof(streamId));
        }

        foreach (ILogPartitionParticipant participant in Volatile.Read(ref _participants))
        {
            if (participant.TryGetPartition(streamId, out int placed))
            {
                return placed;
            }
        }

        GrainId grainId;
        try
        {
            grainId = GrainId.Parse(streamId);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Stream '{streamId}' of store '{StoreName}' is not a grain id (type/key); in a cluster every stream belongs to a grain's partition.", nameof(streamId), ex);
        }

        return PartitionMap.GetPartition(grainId, _host.PartitionCount);
    }

    private async Task NotifyAsync(int partition, ILogger logger, string action, Func<ILogPartitionParticipant, int, Task> notify)
    {
        foreach (ILogPartitionParticipant participant in Volatile.Read(ref _participants))
        {
            try
            {
                await notify(participant, partition);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogParticipantFailed(logger, ex, participant.GetType().Name, action, partition, StoreName);
            }
        }
    }

    private void Remove(ILogPartitionParticipant participant)
    {
        lock (_participantsSync)
        {
            _participants = [.. _participants.Where(p => !ReferenceEquals(p, participant))];
        }
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Error, Message = "Log participant {Participant} failed to {Action} partition {Partition} of store {Store}")]
    private static partial void LogParticipantFailed(ILogger logger, Exception exception, string participant, string action, int partition, string store);

    private sealed record ServedPartition(IEventLog Log, long Epoch);

    private sealed class Registration(PartitionedEventLog log, ILogPartitionParticipant participant) : IDisposable
    {
        public void Dispose() => log.Remove(participant);
    }
}
