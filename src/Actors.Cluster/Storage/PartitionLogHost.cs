using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Actors.Persistence.Wal;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Storage;

/// <summary>
/// This silo's partition logs: for every write-ahead-log store, one log per served partition in
/// <c>{store directory}/partitions/{partition:D5}/</c>. Opens and closes them as ownership comes and goes, fences writes,
/// lists a closed partition's files for a transfer and installs received ones.
/// </summary>
/// <remarks>
/// Opening a partition for an epoch appends an epoch record (epoch, owner, incarnation, time) to the reserved stream
/// <see cref="EpochStream"/> of each of its logs, so a log says which epoch wrote what. Open, close and install of one
/// partition are serialized. Thread-safe.
/// </remarks>
internal sealed partial class PartitionLogHost
{
    /// <summary>The subdirectory of a store's directory that holds its partition logs.</summary>
    public const string PartitionsDirectoryName = "partitions";

    /// <summary>The reserved stream of each partition log holding its epoch records.</summary>
    public const string EpochStream = "$cluster/epochs";

    private readonly IEventLogFactory _inner;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, PartitionedEventLog> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, OpenEpoch> _open = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _partitionGates = new();
    private readonly ConcurrentDictionary<int, long> _installs = new();
    private volatile bool _abandoned;

    public PartitionLogHost(IEventLogFactory inner, ILoggerFactory loggerFactory)
    {
        _inner = inner;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<PartitionLogHost>();
    }

    /// <summary>This silo's name (in errors).</summary>
    public string SiloName { get; set; } = "";

    /// <summary>The cluster's partition count (set when the silo joins; 1 before, when nothing is served).</summary>
    public int PartitionCount { get; set; } = 1;

    /// <summary>
    /// The replicated log of a partition whose replica this silo holds (replication factor above 1), or null: such a
    /// partition is served through it (every write replicated, reads from its materialized log) instead of a local log.
    /// </summary>
    public Func<int, IEventLog?> ReplicatedLog { get; set; } = static _ => null;

    /// <summary>Decides whether a write to a partition under an epoch may go on (lease valid, epoch current).</summary>
    public Func<int, long, bool> WriteFence { get; set; } = static (_, _) => false;

    /// <summary>
    /// Fault tests only (null otherwise): runs when a partition's log is open and its epoch record is about to be appended
    /// (partition, epoch), so a test can make the open fail exactly there: a replica that loses its leadership, an I/O
    /// error, a corrupted log (docs/replication.md, "Opening a partition").
    /// </summary>
    internal Func<int, long, Task>? BeforeEpochRecord { get; set; }

    /// <summary>The stores' partitioned logs.</summary>
    public ICollection<PartitionedEventLog> Stores => _stores.Values;

    /// <summary>The partitions open here and the epoch each was opened under.</summary>
    public IReadOnlyDictionary<int, long> OpenPartitions => _open.ToDictionary(p => p.Key, p => p.Value.Epoch);

    /// <summary>Whether <paramref name="partition"/>'s logs are open under <paramref name="epoch"/>.</summary>
    public bool IsOpen(int partition, long epoch) => _open.TryGetValue(partition, out OpenEpoch? open) && open.Epoch == epoch;

    /// <summary>Registers a store (its factory opened it); opens it for the partitions already served.</summary>
    /// <exception cref="InvalidOperationException">The store's directory holds a single-silo log.</exception>
    public async Task<PartitionedEventLog> RegisterAsync(string storeName, WriteAheadLogOptions options, CancellationToken cancellationToken)
    {
        EnsureNoSingleSiloLog(storeName, options.Directory);
        var store = new PartitionedEventLog(storeName, options, this);
        if (!_stores.TryAdd(storeName, store))
        {
            throw new InvalidOperationException($"Write-ahead-log store '{storeName}' was opened twice in one cluster silo.");
        }

        foreach ((int partition, OpenEpoch epoch) in _open.ToArray())
        {
            await OpenStoreAsync(store, partition, epoch, cancellationToken);
        }

        return store;
    }

    /// <summary>Whether a write to <paramref name="partition"/> under <paramref name="epoch"/> may go on.</summary>
    public bool CanWrite(int partition, long epoch) => !_abandoned && WriteFence(partition, epoch);

    /// <summary>The directory of <paramref name="partition"/>'s log in <paramref name="store"/>.</summary>
    public static string PartitionDirectory(PartitionedEventLog store, int partition)
        => Path.Combine(store.BaseOptions.Directory, PartitionsDirectoryName, partition.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Whether any store holds a log directory for <paramref name="partition"/> (it was served here before).</summary>
    public bool HasData(int partition) => _stores.Values.Any(s => Directory.Exists(PartitionDirectory(s, partition)));

    /// <summary>Whether every store holds a log directory for <paramref name="partition"/>.</summary>
    public bool HasDataInEveryStore(int partition) => _stores.Values.All(s => Directory.Exists(PartitionDirectory(s, partition)));

    /// <summary>The partitions with a log directory in some store.</summary>
    public IReadOnlyCollection<int> PartitionsOnDisk()
    {
        var found = new SortedSet<int>();
        foreach (PartitionedEventLog store in _stores.Values)
        {
            string root = Path.Combine(store.BaseOptions.Directory, PartitionsDirectoryName);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string directory in Directory.EnumerateDirectories(root))
            {
                if (int.TryParse(Path.GetFileName(directory), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p))
                {
                    found.Add(p);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Opens <paramref name="partition"/>'s log in every store (creating empty ones where none exists), appends the epoch
    /// record and starts routing its streams there.
    /// </summary>
    public async Task OpenAsync(int partition, long epoch, string owner, long incarnation, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = Gate(partition);
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_abandoned, this);
            var open = new OpenEpoch(epoch, owner, incarnation);
            _open[partition] = open;
            try
            {
                foreach (PartitionedEventLog store in _stores.Values)
                {
                    await OpenStoreAsync(store, partition, open, cancellationToken);
                }
            }
            catch
            {
                await CloseCoreAsync(partition);
                throw;
            }

            foreach (PartitionedEventLog store in _stores.Values)
            {
                await store.NotifyAttachedAsync(partition, _logger);
            }

            LogOpened(_logger, partition, epoch, _stores.Count);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Creates <paramref name="partition"/>'s (empty) log directory in every store, durably.</summary>
    public void CreateDirectories(int partition)
    {
        foreach (PartitionedEventLog store in _stores.Values)
        {
            string directory = PartitionDirectory(store, partition);
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                DirectorySync.Fsync(Path.GetDirectoryName(directory)!);
            }
        }
    }

    /// <summary>Stops routing <paramref name="partition"/> and closes its logs (each flushes what it buffered).</summary>
    public async Task CloseAsync(int partition)
    {
        SemaphoreSlim gate = Gate(partition);
        await gate.WaitAsync();
        try
        {
            await CloseCoreAsync(partition);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Closes every partition log of one store (the store is being disposed).</summary>
    public async ValueTask CloseStoreAsync(PartitionedEventLog store)
    {
        foreach (int partition in store.ServedPartitions.ToArray())
        {
            if (store.Detach(partition) is { } log)
            {
                await (_abandoned ? AbandonAsync(log, partition) : log.DisposeAsync());
            }
        }
    }

    /// <summary>Abandons every partition log without a flush (the silo is killed).</summary>
    public async Task AbandonAllAsync()
    {
        _abandoned = true;
        foreach (PartitionedEventLog store in _stores.Values)
        {
            foreach (int partition in store.ServedPartitions.ToArray())
            {
                if (store.Detach(partition) is { } log)
                {
                    await AbandonAsync(log, partition);
                }
            }
        }

        _open.Clear();
    }

    /// <summary>Deletes <paramref name="partition"/>'s log directories (it is served elsewhere now). The partition must be closed.</summary>
    public void Delete(int partition)
    {
        if (_open.ContainsKey(partition))
        {
            throw new InvalidOperationException($"Partition {partition} is open; close it before deleting its logs.");
        }

        foreach (PartitionedEventLog store in _stores.Values)
        {
            DeleteDirectory(PartitionDirectory(store, partition));
        }

        LogDeleted(_logger, partition);
    }

    private async Task OpenStoreAsync(PartitionedEventLog store, int partition, OpenEpoch open, CancellationToken cancellationToken)
    {
        // A replicated partition's log belongs to its replica (it outlives serving); the epoch record is then replicated too.
        IEventLog log = ReplicatedLog(partition)
            ?? await _inner.OpenAsync(store.StoreName, CopyWithDirectory(store.BaseOptions, PartitionDirectory(store, partition)), _loggerFactory, cancellationToken);
        try
        {
            if (BeforeEpochRecord is { } hook)
            {
                await hook(partition, open.Epoch);
            }

            byte[] record = JsonSerializer.SerializeToUtf8Bytes(new EpochRecord(open.Epoch, open.Owner, open.Incarnation, DateTimeOffset.UtcNow));
            await log.AppendAsync(EpochStream, ExpectedVersion.Any, [record], cancellationToken);
        }
        catch
        {
            await log.DisposeAsync();
            throw;
        }

        store.Attach(partition, log, open.Epoch);
    }

    private async Task CloseCoreAsync(int partition)
    {
        foreach (PartitionedEventLog store in _stores.Values)
        {
            if (store.ServedPartitions.Contains(partition))
            {
                await store.NotifyDetachingAsync(partition, _logger);
            }
        }

        _open.TryRemove(partition, out _);
        foreach (PartitionedEventLog store in _stores.Values)
        {
            if (store.Detach(partition) is { } log)
            {
                await log.DisposeAsync();
            }
        }

        LogClosed(_logger, partition);
    }

    private SemaphoreSlim Gate(int partition) => _partitionGates.GetOrAdd(partition, static _ => new SemaphoreSlim(1, 1));

    /// <summary>Abandons a partition's local log; a replicated partition's log is its replica's, which the replicas abandon.</summary>
    private ValueTask AbandonAsync(IEventLog log, int partition) => ReferenceEquals(log, ReplicatedLog(partition)) ? ValueTask.CompletedTask : _inner.AbandonAsync(log);

    /// <summary>A copy of <paramref name="source"/> for a log in <paramref name="directory"/>.</summary>
    internal static WriteAheadLogOptions CopyWithDirectory(WriteAheadLogOptions source, string directory) => new()
    {
        Directory = directory,
        Encryption = source.Encryption,
        SyncPolicy = source.SyncPolicy,
        SyncInterval = source.SyncInterval,
        SegmentSizeBytes = source.SegmentSizeBytes,
        SegmentMaxAge = source.SegmentMaxAge,
        PreallocateSegments = source.PreallocateSegments,
        MaxRecordSizeBytes = source.MaxRecordSizeBytes,
        MaxBatchBytes = source.MaxBatchBytes,
        MaxBatchDelay = source.MaxBatchDelay,
        RecoveryMode = source.RecoveryMode,
        CompactionLiveRatio = source.CompactionLiveRatio,
        MaxSparseCopySegments = source.MaxSparseCopySegments,
        SnapshotDeltaMinStreams = source.SnapshotDeltaMinStreams,
        ConsolidateAfterRecords = source.ConsolidateAfterRecords,
        ConsolidationMaxBytes = source.ConsolidationMaxBytes,
        RetainSegmentCount = source.RetainSegmentCount,
        RetainMaxAge = source.RetainMaxAge,
        MaxChangeFeedRetainedBytes = source.MaxChangeFeedRetainedBytes,
        RetainCheckpointedEvents = source.RetainCheckpointedEvents,
        RetainHistoryFor = source.RetainHistoryFor,
        RetainLastVersions = source.RetainLastVersions,
        StreamRetention = source.StreamRetention,
        HistoryTrimAge = source.HistoryTrimAge,
        EraseCompactionQuietPeriod = source.EraseCompactionQuietPeriod,
        EraseCompactionMaxDelay = source.EraseCompactionMaxDelay,
        ReadOnly = source.ReadOnly,
    };

    /// <summary>A single silo's log lives directly in the store directory; a cluster silo would never read it (silent loss), so it refuses to start.</summary>
    private static void EnsureNoSingleSiloLog(string storeName, string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        string[] files = Directory.GetFiles(directory);
        if (files.Length > 0)
        {
            throw new InvalidOperationException(
                $"Write-ahead-log store '{storeName}': directory '{directory}' holds a log written by a single silo ({Path.GetFileName(files[0])} ...). " +
                $"A cluster silo keeps one log per partition under '{Path.Combine(directory, PartitionsDirectoryName)}' and would not see that data. " +
                "Start this silo without clustering, or give the store an empty directory.");
        }
    }

    internal static void DeleteDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        string trash = directory + ".deleting-" + Guid.NewGuid().ToString("N");
        Directory.Move(directory, trash);
        DirectorySync.Fsync(Path.GetDirectoryName(directory)!);
        Directory.Delete(trash, recursive: true);
    }

    private sealed record OpenEpoch(long Epoch, string Owner, long Incarnation);

    /// <summary>One record of <see cref="EpochStream"/> (JSON).</summary>
    internal sealed record EpochRecord(long Epoch, string Owner, long Incarnation, DateTimeOffset OpenedAt);

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Partition {Partition} opened under epoch {Epoch} ({Stores} stores)")]
    private static partial void LogOpened(ILogger logger, int partition, long epoch, int stores);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Partition {Partition} closed")]
    private static partial void LogClosed(ILogger logger, int partition);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Partition {Partition}: local logs deleted (it is served by another silo)")]
    private static partial void LogDeleted(ILogger logger, int partition);
}
