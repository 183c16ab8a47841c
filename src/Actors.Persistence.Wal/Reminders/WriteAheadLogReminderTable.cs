using Actors.Reminders;
using Actors.Runtime;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal.Reminders;

/// <summary>
/// The durable <see cref="IReminderTable"/>: every partition's rows live in a stream of a write-ahead-log store
/// (<c>reminders:{partition}</c>, format in <see cref="ReminderRecordCodec"/>); no external table. A partition is read
/// on first use (its latest checkpoint plus the events after it), kept in memory, and changed by durable appends;
/// a checkpoint every <see cref="CheckpointEveryEvents"/> events bounds what the next load replays.
/// </summary>
/// <remarks>
/// Thread-safe. Writes of one partition are batched: all writes queued while an append is in flight go out as the next
/// append (group commit within the partition, on top of the log's own group commit across streams). Each append
/// expects the partition's stream version, so a second writer (a stale owner in a cluster) is refused instead of
/// interleaving. After a failed append the partition is re-read before its next use.
/// </remarks>
public sealed partial class WriteAheadLogReminderTable : IReminderTable
{
    /// <summary>How many events of a partition are appended between two checkpoints.</summary>
    public const int CheckpointEveryEvents = 256;

    /// <summary>The stream that records the partition count the table was created with.</summary>
    public const string MetaStreamId = "reminders:meta";

    private const int MaxWritesPerAppend = 1024;

    private const string StreamPrefix = "reminders:";

    private readonly WriteAheadLogStore _store;
    private readonly IReminderPartitioner _partitioner;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, ReminderPartitionLog> _partitions = new();
    private readonly SemaphoreSlim _metaGate = new(1, 1);
    private bool _metaChecked;

    /// <summary>Creates the table over <paramref name="store"/>, partitioned by <paramref name="partitioner"/>.</summary>
    public WriteAheadLogReminderTable(WriteAheadLogStore store, IReminderPartitioner partitioner, ILogger<WriteAheadLogReminderTable> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(partitioner);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _partitioner = partitioner;
        _logger = logger;
        _metaChecked = !partitioner.TableRecordsPartitionCount;
    }

    /// <summary>The stream of partition <paramref name="partition"/>.</summary>
    public static string StreamOf(int partition) => StreamPrefix + partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="streamId"/> is the stream of a reminder partition (<see cref="StreamOf"/>), and which.</summary>
    public static bool TryParsePartitionStream(string streamId, out int partition)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        partition = -1;
        return streamId.StartsWith(StreamPrefix, StringComparison.Ordinal)
            && int.TryParse(streamId.AsSpan(StreamPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out partition)
            && StreamOf(partition) == streamId;
    }

    /// <inheritdoc />
    public void ForgetPartition(int partition)
    {
        if (_partitions.TryGetValue(partition, out ReminderPartitionLog? log))
        {
            lock (log.Sync)
            {
                log.Loaded = false;
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, _partitioner.PartitionCount);
        ReminderPartitionLog log = Partition(partition);
        await EnsureLoadedAsync(log, cancellationToken);
        lock (log.Sync)
        {
            return [.. log.Rows.Values];
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        ReminderPartitionLog log = PartitionOf(grainId);
        await EnsureLoadedAsync(log, cancellationToken);
        lock (log.Sync)
        {
            return [.. log.Rows.Values.Where(r => r.GrainId == grainId)];
        }
    }

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ReminderPartitionLog log = PartitionOf(grainId);
        await EnsureLoadedAsync(log, cancellationToken);
        lock (log.Sync)
        {
            return log.Rows.GetValueOrDefault((grainId, reminderName));
        }
    }

    /// <inheritdoc />
    public async Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period, CancellationToken cancellationToken)
    {
        ReminderRecordCodec.EnsureStorable(grainId.ToString(), "grain id");
        ReminderRecordCodec.EnsureStorable(reminderName, "reminder name");
        object? result = await EnqueueAsync(new ReminderWrite(ReminderRecordKind.Upsert, grainId, reminderName) { StartAt = startAt, Period = period });
        return (string)result!;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
        => (bool)(await EnqueueAsync(new ReminderWrite(ReminderRecordKind.Remove, grainId, reminderName) { ETag = eTag }))!;

    /// <inheritdoc />
    public Task RecordTickAsync(GrainId grainId, string reminderName, string eTag, DateTime tickTime, CancellationToken cancellationToken)
        => EnqueueAsync(new ReminderWrite(ReminderRecordKind.Tick, grainId, reminderName) { ETag = eTag, TickTime = tickTime });

    private ReminderPartitionLog PartitionOf(GrainId grainId) => Partition(_partitioner.GetPartition(grainId));

    private ReminderPartitionLog Partition(int partition) => _partitions.GetOrAdd(partition, static p => new ReminderPartitionLog(p));

    private Task<object?> EnqueueAsync(ReminderWrite write)
    {
        ReminderPartitionLog log = PartitionOf(write.GrainId);
        bool start;
        lock (log.Sync)
        {
            log.Queue.Add(write);
            start = !log.Writing;
            log.Writing = true;
        }

        if (start)
        {
            _ = Task.Run(() => DrainAsync(log));
        }

        return write.Completion.Task;
    }

    /// <summary>The partition's single writer: appends every queued write, batch after batch, until the queue is empty.</summary>
    private async Task DrainAsync(ReminderPartitionLog log)
    {
        while (true)
        {
            List<ReminderWrite> batch;
            lock (log.Sync)
            {
                if (log.Queue.Count == 0)
                {
                    log.Writing = false;
                    return;
                }

                batch = log.Queue.Count <= MaxWritesPerAppend ? log.Queue : log.Queue[..MaxWritesPerAppend];
                log.Queue = log.Queue.Count <= MaxWritesPerAppend ? [] : log.Queue[MaxWritesPerAppend..];
            }

            try
            {
                await EnsureLoadedAsync(log, CancellationToken.None);
                await AppendBatchAsync(log, batch);
            }
            catch (Exception ex)
            {
                lock (log.Sync)
                {
                    log.Loaded = false;
                }

                foreach (ReminderWrite write in batch)
                {
                    write.Completion.TrySetException(ex);
                }
            }
        }
    }
}
