using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>Hosted replicas, each with an applier onto a write-ahead log of its own that it checkpoints.</summary>
internal sealed class CheckpointingReplicas : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-materialized-checkpoint-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<ReplicaId, CommittedEntryApplier> _appliers = [];
    private readonly long _checkpointEveryEntries;

    private CheckpointingReplicas(HostedReplicas replicas, long checkpointEveryEntries)
    {
        Replicas = replicas;
        _checkpointEveryEntries = checkpointEveryEntries;
    }

    public HostedReplicas Replicas { get; }

    /// <summary>
    /// Wraps the materialized-log state of the appliers started from now on (a test injecting restore failures); null:
    /// the plain <see cref="WriteAheadLogDirectoryState"/>.
    /// </summary>
    public Func<IMaterializedLogState, IMaterializedLogState>? WrapState { get; set; }

    public static async Task<CheckpointingReplicas> StartAsync(ReplicaOptions options, long checkpointEveryEntries)
    {
        var cluster = new CheckpointingReplicas(new HostedReplicas(3, options), checkpointEveryEntries);
        foreach (var host in cluster.Replicas.Running)
        {
            await cluster.StartApplierAsync(host);
        }

        return cluster;
    }

    public CommittedEntryApplier Applier(ReplicaId id) => _appliers[id];

    public ReplicatedEventLog LogOf(ReplicaId id) => new(Replicas[id], _appliers[id]);

    /// <summary>Restarts a killed replica over its entry log, with an empty materialized log (the applier rebuilds it).</summary>
    public async Task StartAsync(ReplicaId id)
    {
        Replicas.Start(id);
        await StartApplierAsync(Replicas[id]);
    }

    /// <summary>Kills replica <paramref name="id"/> and restarts it with its materialized log on <paramref name="disk"/>; returns its new applier.</summary>
    public async Task<CommittedEntryApplier> RestartOnAsync(ReplicaId id, FailingMaterializedDisk disk)
    {
        await KillAsync(id);
        WrapState = disk.Over;
        await StartAsync(id);
        return Applier(id);
    }

    public async Task WaitAllAppliedAsync()
    {
        var end = Replicas.Running.Max(h => h.Status.EndLsn);
        foreach (var applier in _appliers.Values)
        {
            await applier.WaitAppliedAsync(end).WaitAsync(Generous);
        }
    }

    public async Task KillAsync(ReplicaId id)
    {
        await _appliers[id].DisposeAsync();
        await _appliers[id].Local.DisposeAsync();
        _appliers.Remove(id);
        await Replicas.KillAsync(id);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _appliers.Keys.ToArray())
        {
            await KillAsync(id);
        }

        await Replicas.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    private async ValueTask StartApplierAsync(ReplicaHost host)
    {
        var directory = Path.Combine(_root, $"materialized-{host.Id.Value}");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var options = new WriteAheadLogOptions
        {
            Directory = directory,
            SegmentSizeBytes = 1024 * 1024,
            MaxRecordSizeBytes = 64 * 1024,
            PreallocateSegments = false,
            SyncPolicy = SyncPolicy.None,
            CommitOnCallingThread = true,
        };
        var state = new WriteAheadLogDirectoryState(
            directory,
            open: async ct => await WriteAheadLog.OpenAsync(options, cancellationToken: ct),
            close: log => log.DisposeAsync());
        var applier = new CommittedEntryApplier(
            host, await WriteAheadLog.OpenAsync(options), new MaterializedCheckpointPolicy(WrapState?.Invoke(state) ?? state, _checkpointEveryEntries, long.MaxValue));
        _appliers[host.Id] = applier;
        applier.Start();
    }
}
