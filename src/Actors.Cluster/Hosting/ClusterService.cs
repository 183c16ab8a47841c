using Actors.Cluster.Membership;
using Actors.Cluster.Storage;
using Actors.Hosting;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Reminders;
using Actors.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Cluster.Hosting;

/// <summary>
/// Runs the silo's cluster layer with the host: on start it opens the write-ahead-log stores (partitioned), listens for
/// other silos, joins the cluster and starts its loops; on a graceful stop it leaves (hands every partition to the
/// remaining Active silos, deactivates its grains, marks itself Left); when killed it drops everything at once; when the
/// store declares it dead it kills the silo and stops the host.
/// </summary>
internal sealed partial class ClusterService(ClusterSilo cluster, IServiceProvider services, ILogger<ClusterService> logger) : IHostedService, ISiloAbruptStopParticipant, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private Task _viewLoop = Task.CompletedTask;
    private IDisposable? _instruments;
    private IDisposable? _replicaInstruments;
    private bool _started;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IEventLogFactory>() is not PartitionedEventLogFactory)
        {
            throw new InvalidOperationException(
                "Clustering needs the write-ahead-log stores to keep one log per partition, but another IEventLogFactory was registered after UseClustering. Register it as ClusterInnerLogFactory instead.");
        }

        if (services.GetService<IReminderTable>() is { } reminders and not WriteAheadLogReminderTable)
        {
            throw new InvalidOperationException(
                $"A cluster silo keeps reminders in its partitions' logs so they move with their grains; the reminder table {reminders.GetType().Name} would lose them when a partition moves. Use UseWriteAheadLogReminderService().");
        }

        foreach (WriteAheadLogStore store in WriteAheadLogStores.GetAll(services))
        {
            await store.StartAsync(cancellationToken);
        }

        PartitionedEventLog[] stores = [.. cluster.Logs.Stores];
        if (cluster.Options.ReplicationFactor > 1 && stores.Length != 1)
        {
            throw new InvalidOperationException(
                $"ClusterOptions.ReplicationFactor {cluster.Options.ReplicationFactor} replicates exactly one write-ahead-log store per silo; this silo has {stores.Length} ({string.Join(", ", stores.Select(s => s.StoreName))}).");
        }

        // Partitions granted with replicas stay replicated even if this silo runs with a lower factor (it only decides new claims).
        cluster.Replicas.ReplicatedStore = stores.Length == 1 ? stores[0] : null;

        cluster.Logs.DiscardAllStaging();
        cluster.Transport.StartListening(cluster.Handler);
        cluster.Membership.DeclaredDead += OnDeclaredDead;
        ClusterSnapshot snapshot = await cluster.Membership.JoinAsync(cancellationToken);
        // At once: the join's lease lasts one LeaseDuration, and the rest of the start can be slow on a starved machine.
        cluster.Membership.StartRenewing();
        cluster.Identity.Incarnation = cluster.Membership.Incarnation;
        cluster.Logs.SiloName = cluster.Membership.Name;
        cluster.Logs.PartitionCount = snapshot.PartitionCount;
        cluster.Directory.Start(snapshot.PartitionCount);
        cluster.Directory.OnViewChanged(snapshot);
        cluster.Ownership.Start(snapshot.PartitionCount);
        _viewLoop = Task.Run(ViewLoopAsync, CancellationToken.None);
        _instruments = cluster.ObserveInstruments();
        _replicaInstruments = cluster.ObserveReplicaInstruments();
        _started = true;
    }

    /// <summary>Graceful leave: hand partitions off, deactivate this silo's grains, mark it Left.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started || cluster.Membership.IsDeclaredDead)
        {
            await StopLoopsAsync();
            return;
        }

        SiloOptions silo = services.GetRequiredService<IOptions<SiloOptions>>().Value;
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(silo.ShutdownGracePeriod);
        LogLeaving(logger, cluster.Membership.Name);
        try
        {
            if (await cluster.Membership.SetStatusAsync(SiloStatus.ShuttingDown, grace.Token))
            {
                await cluster.Ownership.WaitUntilHandedOffAsync(grace.Token);
                await services.GetRequiredService<ISiloActivations>().DeactivateAsync(
                    _ => true, new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo leaves the cluster."), grace.Token);
                await cluster.Membership.SetStatusAsync(SiloStatus.Left, grace.Token);
            }
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
            LogLeaveIncomplete(logger, cluster.Membership.Name, silo.ShutdownGracePeriod);
        }

        await StopLoopsAsync();
    }

    /// <summary>The silo is killed: stop renewing, cut every connection, abandon the partition logs. Nothing is handed off.</summary>
    public async ValueTask AbandonAsync()
    {
        cluster.Membership.Lease.Revoke();
        cluster.Transport.AbortAll();
        await StopLoopsAsync();
        cluster.Receiver.DiscardAll();
        await cluster.Logs.AbandonAllAsync();
        await cluster.Replicas.AbandonAllAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopLoopsAsync();
        await cluster.Transport.DrainAsync(TimeSpan.FromSeconds(5));
        await cluster.Transport.DisposeAsync();
        await cluster.Membership.DisposeAsync();
        await cluster.Ownership.DisposeAsync();
        await cluster.Replicas.DisposeAsync();
        _instruments?.Dispose();
        _replicaInstruments?.Dispose();
        _stopping.Dispose();
    }

    private async Task StopLoopsAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await cluster.Ownership.StopAsync();
        await cluster.Membership.StopAsync();
        await _viewLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ViewLoopAsync()
    {
        long seen = 0;
        while (!_stopping.IsCancellationRequested)
        {
            Task changed = cluster.Membership.Changed.Next;
            if (cluster.Membership.Current is { } snapshot && snapshot.TableVersion != seen)
            {
                seen = snapshot.TableVersion;
                cluster.Directory.OnViewChanged(snapshot);
                cluster.GatewayRouting.OnViewChanged(snapshot);
                // A dead or restarted peer's connections are cut; a peer that left closes its own after it drained.
                cluster.Transport.Forget(address => snapshot.FindSilo(address.Name) is not { } row || row.Incarnation != address.Incarnation || row.Status == SiloStatus.Dead);
                foreach (SiloRecord gone in snapshot.Silos.Where(s => !s.IsLive))
                {
                    cluster.Cache.RemoveSilo(gone.Name);
                }
            }

            try
            {
                await changed.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnDeclaredDead(string reason)
    {
        _ = Task.Run(async () =>
        {
            cluster.Transport.AbortAll();
            await services.GetRequiredService<ISiloControl>().KillAsync();
            services.GetService<IHostApplicationLifetime>()?.StopApplication();
        });
    }

    [LoggerMessage(EventId = 4800, Level = LogLevel.Information, Message = "Silo {Silo} is leaving its cluster: handing its partitions off")]
    private static partial void LogLeaving(ILogger logger, string silo);

    [LoggerMessage(EventId = 4801, Level = LogLevel.Warning, Message = "Silo {Silo} did not finish leaving within its shutdown grace period {GracePeriod}; partitions it still owns serve again when it restarts")]
    private static partial void LogLeaveIncomplete(ILogger logger, string silo, TimeSpan gracePeriod);
}
