using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Log;
using Actors.Replication;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;
using Actors.Wal.Entries;
using Actors.Wal.IO;
using Microsoft.Extensions.Logging;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Puts one of this silo's partition replicas together and takes it apart (<see cref="SiloReplicas"/> decides which run):
/// a <see cref="ReplicaHost"/> over the partition's log in the silo's <see cref="SiloEntryJournal"/> (its epoch and
/// checkpoint files in <c>{replica directory}/entries</c>), its configuration in the partition's row, its messages through
/// <see cref="IReplicaMessaging"/>; and a <see cref="CommittedEntryApplier"/> that applies committed entries to a
/// materialized <see cref="WriteAheadLog"/> in <c>{replica directory}/materialized</c>, which serves the partition's reads
/// while the replica leads.
/// </summary>
/// <remarks>
/// <para>The materialized log is rebuilt from the entry log whenever a replica starts (its directory deleted, the entry
/// log's checkpoint restored into it if it has one, every committed entry after it applied again): applied writes and the
/// applied position are not recorded atomically, so applying onto an older copy could apply an entry twice. It is written
/// with <see cref="SyncPolicy.None"/>: durability comes from the entry logs of the in-sync replicas; and committed on the
/// applier's thread (<see cref="WriteAheadLogOptions.CommitOnCallingThread"/>), so it runs no committer thread.</para>
/// <para>Every replica here ticks by one <see cref="ReplicaTicker"/> (one timer for the silo, every half heartbeat
/// interval, created with the first replica): the replicas' wake-ups, heartbeats and configuration reads come in one burst
/// per period instead of one timer's each.</para>
/// <para>Not thread-safe for one partition: its owner starts and stops a partition's replica one at a time.</para>
/// </remarks>
/// <param name="replica">This silo's replica.</param>
/// <param name="logOptions">The silo's log options (the materialized logs' segment, record and encryption settings).</param>
/// <param name="retention">The streams' retention, applied by the materialized logs.</param>
/// <param name="messaging">The messaging between the silos' replicas (resolved on first use).</param>
/// <param name="options">The protocol's timing and the checkpoint thresholds.</param>
/// <param name="reads">The partition rows' reads every replica here shares.</param>
/// <param name="journal">The silo's entry journal.</param>
/// <param name="restarts">The restarts due (a restarted replica's entry log is cut where its failed host synced).</param>
/// <param name="writeFailed">Called with the partition and the failure when a write fails on a replica's partition log.</param>
/// <param name="loggers">The loggers.</param>
/// <param name="time">The clock.</param>
internal sealed partial class ReplicaFactory(
    ClusterReplica replica,
    SiloLogOptions logOptions,
    StreamRetentionRegistry retention,
    Lazy<IReplicaMessaging> messaging,
    ReplicaOptions options,
    CoalescedConfigurationReads reads,
    SiloEntryJournal journal,
    ReplicaRestarts restarts,
    Action<int, Exception> writeFailed,
    ILoggerFactory loggers,
    TimeProvider time)
{
    private readonly ILogger _logger = loggers.CreateLogger<ReplicaFactory>();
    private readonly Lazy<ReplicaTicker> _ticker = new(() => new ReplicaTicker(options.HeartbeatInterval / 2, time));

    /// <summary>The clock every replica here ticks by (created with the first replica).</summary>
    public ReplicaTicker Ticker => _ticker.Value;

    /// <summary>
    /// Starts <paramref name="partition"/>'s replica in <paramref name="directory"/> (created durably if need be) and
    /// returns it running: its materialized log rebuilt, its entry log opened (cut as a due restart says), its messaging
    /// registered, its host and applier started. <paramref name="rowVersion"/> is the version of the row naming it
    /// (<see cref="HeldReplica.RowVersion"/>). What it opened is closed again when it fails.
    /// </summary>
    public async Task<HeldReplica> StartAsync(int partition, string directory, long rowVersion, CancellationToken cancellationToken)
    {
        var id = new ReplicaId(replica.Id);
        string materializedDirectory = Path.Combine(directory, "materialized");
        DeleteDirectory(materializedDirectory);

        // Durably: the first start creates the partition's directory here, and its entry log's files are made durable in it.
        DurableFile.CreateDirectory(PhysicalFileSystem.Instance, materializedDirectory);
        WriteAheadLogOptions materializedOptions = MaterializedOptions(materializedDirectory);
        IEventLog materialized = await WriteAheadLog.OpenAsync(materializedOptions, loggers, time, cancellationToken).ConfigureAwait(false);
        IEntryLog entries;
        try
        {
            entries = journal.Get().OpenLog(partition, Path.Combine(directory, "entries"));
            try
            {
                if (restarts.CutLog(partition, entries) is { } cutAfter)
                {
                    LogCutAtRestart(partition, id.Value, cutAfter);
                }
            }
            catch
            {
                entries.Dispose();
                throw;
            }
        }
        catch
        {
            await ((WriteAheadLog)materialized).AbandonAsync().ConfigureAwait(false);
            throw;
        }

        var host = new ReplicaHost(
            id,
            entries,
            new PartitionConfigurationStore(partition, reads, replica.Catalog.Partition(partition)),
            messaging.Value.For(partition),
            options,
            time,
            loggers.CreateLogger<ReplicaHost>())
        {
            Ticker = _ticker.Value,
        };
        var state = new WriteAheadLogDirectoryState(
            materializedDirectory,
            open: async ct => await WriteAheadLog.OpenAsync(materializedOptions, loggers, time, ct).ConfigureAwait(false),
            close: log => ((WriteAheadLog)log).AbandonAsync());
        var applier = new CommittedEntryApplier(
            host,
            materialized,
            new MaterializedCheckpointPolicy(state, options.CheckpointEveryEntries, options.CheckpointEveryBytes),
            loggers.CreateLogger<CommittedEntryApplier>())
        {
            FollowerApplyDelay = options.FollowerApplyDelay,
        };
        messaging.Value.Register(partition, host.Deliver);
        host.Start();
        applier.Start();
        LogStarted(partition, id.Value, entries.StartLsn, entries.EndLsn);
        return new HeldReplica(partition, host, applier, new ReplicatedPartitionLog(partition, new ReplicatedEventLog(host, applier), failure => writeFailed(partition, failure)), time.GetUtcNow(), rowVersion);
    }

    /// <summary>Unregisters the replica's messaging, disposes its host (closing its entry log) and applier, and closes (<paramref name="graceful"/>) or abandons its materialized log.</summary>
    public async Task StopAsync(HeldReplica held, bool graceful)
    {
        messaging.Value.Unregister(held.Partition);
        await held.Host.DisposeAsync().ConfigureAwait(false);
        await held.Applier.DisposeAsync().ConfigureAwait(false);
        if (graceful)
        {
            await held.Applier.Local.DisposeAsync().ConfigureAwait(false);
        }
        else if (held.Applier.Local is WriteAheadLog local)
        {
            await local.AbandonAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the replicas' clock (after every replica stopped; none starts afterwards).</summary>
    public ValueTask StopTickerAsync() => _ticker.IsValueCreated ? _ticker.Value.DisposeAsync() : ValueTask.CompletedTask;

    private WriteAheadLogOptions MaterializedOptions(string directory)
    {
        var materialized = new WriteAheadLogOptions
        {
            SegmentSizeBytes = logOptions.SegmentSizeBytes,
            MaxRecordSizeBytes = logOptions.MaxRecordSizeBytes,
            Encryption = logOptions.Encryption,
        };
        logOptions.ConfigureEngine?.Invoke(materialized);
        materialized.Directory = directory;

        // Never synced (durability is the entry logs'), so preallocation buys nothing; unpreallocated segments keep each
        // checkpoint's copy to what was written.
        materialized.SyncPolicy = SyncPolicy.None;
        materialized.PreallocateSegments = false;
        materialized.RetainCheckpointedEvents = true;
        materialized.StreamRetention = retention.Resolve;

        // Written by one applier per replica (48 logs in three silos at 16 partitions): each applied burst is committed
        // (as one group: the applier's WriteBatch) on the applier's own thread, rather than by a committer thread per
        // log, woken per burst, and a hop back.
        materialized.CommitOnCallingThread = true;
        return materialized;
    }

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Replica {Replica} of partition {Partition} started (entry log from LSN {StartLsn} up to LSN {EndLsn}; its materialized log is rebuilt from them)")]
    private partial void LogStarted(int partition, int replica, long startLsn, long endLsn);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} restarts with its entry log cut after LSN {DurableLsn}, the last entry its failed host had synced; the leader sends it the rest")]
    private partial void LogCutAtRestart(int partition, int replica, long durableLsn);
}
