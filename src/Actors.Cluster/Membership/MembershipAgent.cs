using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Membership;

/// <summary>
/// This silo's membership protocol, over an <see cref="IClusterStore"/> and an injected clock: join (a new incarnation of
/// the silo's name, once the previous one's lease has ended), renew the lease every <see cref="ClusterOptions.LeaseRenewPeriod"/>,
/// read the table again when its version moves, declare dead the silos whose lease ended by the store's clock, change its
/// own status, and stop serving at once when the store says it is no longer a member.
/// </summary>
/// <remarks>
/// Failure detection is by leases judged by the store's clock (docs/cluster.md explains the choice against probes and
/// suspicion votes). Renewals run on a thread of their own with synchronous store I/O
/// (<see cref="IClusterStore.RenewLease"/>), one every <see cref="ClusterOptions.LeaseRenewPeriod"/> counted from the
/// start of the previous one, so neither a thread pool starved by the silo's work nor a slow table read delays them (a
/// renewal that waited for the pool took several queued hops: docs/cluster.md, "Why a starved silo missed its lease"). What a renewal
/// reports (the table moved, expired silos, this silo no longer a member) is acted on by a follow-up loop on the thread
/// pool. Every decision is a conditional update, so concurrent silos declaring the same silo dead cannot conflict.
/// Thread-safe.
/// </remarks>
internal sealed partial class MembershipAgent : IAsyncDisposable
{
    private readonly IClusterStore _store;
    private readonly ClusterOptions _options;
    private readonly string _name;
    private readonly Func<string> _siloEndpoint;
    private readonly Func<string?> _gatewayEndpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<LeaseRenewal> _renewals = Channel.CreateBounded<LeaseRenewal>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _renewerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;
    private ClusterSnapshot? _current;
    private long _incarnation;
    private int _declaredDead;
    private int _leaving;
    private int _left;
    private int _renewing;
    private Task _followUp = Task.CompletedTask;

    public MembershipAgent(IClusterStore store, ClusterOptions options, string name, Func<string> siloEndpoint, Func<string?> gatewayEndpoint, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _name = name;
        _siloEndpoint = siloEndpoint;
        _gatewayEndpoint = gatewayEndpoint;
        _time = time;
        _logger = logger;
        Lease = new LeaseClock(time, options.LeaseDuration, options.MaxClockDriftRate);
    }

    /// <summary>Raised once, on the loop, when the store says this incarnation is dead or no longer a member.</summary>
    public event Action<string>? DeclaredDead;

    /// <summary>The silo's name.</summary>
    public string Name => _name;

    /// <summary>This silo's incarnation (0 before it joined).</summary>
    public long Incarnation => Interlocked.Read(ref _incarnation);

    /// <summary>The latest table read (null before the first).</summary>
    public ClusterSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>This silo's lease as it may act on it.</summary>
    public LeaseClock Lease { get; }

    /// <summary>Pulsed when a newer table is read (and when the lease is lost).</summary>
    public ClusterViewSignal Changed { get; } = new();

    /// <summary>Whether the store declared this incarnation dead (or it stopped being a member).</summary>
    public bool IsDeclaredDead => Volatile.Read(ref _declaredDead) != 0;

    /// <summary>Whether this incarnation left the cluster gracefully (its own status change to Left): it stopped renewing.</summary>
    public bool HasLeft => Volatile.Read(ref _left) != 0;

    /// <summary>
    /// Creates the cluster if needed and joins it as a new incarnation of this silo's name with status Active. When the
    /// previous incarnation's row is still live with an unexpired lease, waits for the lease to end (a fast restart
    /// after a crash), so two incarnations never hold a lease at once.
    /// </summary>
    public async Task<ClusterSnapshot> JoinAsync(CancellationToken cancellationToken)
    {
        bool waitedLogged = false;
        while (true)
        {
            ClusterSnapshot snapshot = await _store.InitializeAsync(_options.ClusterId, _options.PartitionCount, cancellationToken);
            SiloRecord? row = snapshot.FindSilo(_name);
            var update = new ClusterUpdate();
            long incarnation;
            if (row is null)
            {
                incarnation = 1;
                update.Write(NewRow(incarnation, snapshot.Now), 0, _options.LeaseDuration);
            }
            else if (row.IsLive && row.LeaseExpiresAt > snapshot.Now)
            {
                if (!waitedLogged)
                {
                    LogWaitingForPreviousLease(_logger, _name, row.Incarnation, row.LeaseExpiresAt - snapshot.Now);
                    waitedLogged = true;
                }

                TimeSpan wait = row.LeaseExpiresAt - snapshot.Now;
                await Task.Delay(wait < _options.LeaseRenewPeriod ? wait + TimeSpan.FromMilliseconds(10) : _options.LeaseRenewPeriod, _time, cancellationToken);
                continue;
            }
            else
            {
                incarnation = row.Incarnation + 1;
                update.Write(NewRow(incarnation, snapshot.Now), row.Version, _options.LeaseDuration);
                if (row.IsLive)
                {
                    update.RequireLease(_name, row.Incarnation, mustBeValid: false);
                }
            }

            long sentAt = Lease.Now();
            if (await _store.TryApplyAsync(_options.ClusterId, update, cancellationToken))
            {
                Interlocked.Exchange(ref _incarnation, incarnation);
                Lease.Renewed(sentAt);
                ClusterSnapshot joined = await RefreshAsync(cancellationToken);
                LogJoined(_logger, _name, incarnation, _options.ClusterId, joined.PartitionCount, joined.TableVersion);
                return joined;
            }
        }
    }

    /// <summary>
    /// Starts renewing (after <see cref="JoinAsync"/>; call it at once: the lease the join granted lasts one
    /// <see cref="ClusterOptions.LeaseDuration"/>): the renewal thread and the follow-up loop.
    /// </summary>
    public void StartRenewing()
    {
        if (Interlocked.Exchange(ref _renewing, 1) != 0)
        {
            return;
        }

        _followUp = Task.Run(FollowUpLoopAsync);
        new Thread(RenewThread) { IsBackground = true, Name = $"Actors.Cluster lease {_name}" }.Start();
    }

    /// <summary>
    /// Catches up with the table now: the first time a whole read, then only the rows changed since the current
    /// snapshot's version (<see cref="IClusterStore.ReadChangesAsync"/>), applied to it. Publishes the result (and pulses
    /// <see cref="Changed"/>) when it is newer than the current one.
    /// </summary>
    /// <remarks>
    /// The published snapshot's lease expiries of unchanged rows are as last read (renewals are not changes): nothing
    /// in the silo judges a lease by them; expired leases come from the renewals (<see cref="LeaseRenewal.ExpiredSilos"/>).
    /// </remarks>
    public async Task<ClusterSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            ClusterSnapshot? current = Current;
            ClusterSnapshot snapshot = current is null
                ? await _store.ReadAsync(_options.ClusterId, cancellationToken)
                : current.Apply(await _store.ReadChangesAsync(_options.ClusterId, current.TableVersion, cancellationToken));
            if (current is null || snapshot.TableVersion > current.TableVersion)
            {
                Volatile.Write(ref _current, snapshot);
                Changed.Pulse();
                return snapshot;
            }

            return current;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Applies a conditional update and, when it succeeded, reads the table again.</summary>
    public async Task<bool> TryApplyAsync(ClusterUpdate update, CancellationToken cancellationToken)
    {
        bool applied = await _store.TryApplyAsync(_options.ClusterId, update, cancellationToken);
        if (applied)
        {
            await RefreshAsync(cancellationToken);
        }

        return applied;
    }

    /// <summary>Changes this silo's status (retrying on concurrent row changes); false when the row is no longer this incarnation's.</summary>
    public async Task<bool> SetStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        if (status == SiloStatus.Left)
        {
            // From now on a renewal that finds the row Left is this silo's own leave, not a death (they race).
            Volatile.Write(ref _leaving, 1);
        }

        while (true)
        {
            ClusterSnapshot snapshot = await RefreshAsync(cancellationToken);
            SiloRecord? row = snapshot.FindSilo(_name);
            if (row is null || row.Incarnation != Incarnation || !row.IsLive)
            {
                return false;
            }

            if (row.Status == status)
            {
                return true;
            }

            if (await TryApplyAsync(new ClusterUpdate().Write(row with { Status = status }, row.Version), cancellationToken))
            {
                LogStatusChanged(_logger, _name, Incarnation, status);
                return true;
            }
        }
    }

    /// <summary>Stops renewing and ends the lease locally (no store change).</summary>
    public async Task StopAsync()
    {
        Lease.Revoke();
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (Volatile.Read(ref _renewing) != 0)
        {
            // The thread wakes at once unless a renewal is in flight, which ends within its timeout (one lease); not waited
            // for longer (a store that does not answer): the thread then ends on its own, and its lease is revoked.
            await _renewerExited.Task.WaitAsync(_options.LeaseDuration, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _followUp.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        _stop.Dispose();
        _refreshGate.Dispose();
    }

    private SiloRecord NewRow(long incarnation, DateTimeOffset now)
        => new(_name, incarnation, SiloStatus.Active, _siloEndpoint(), _gatewayEndpoint(), now, now, 0);

    private void OnNoLongerMember(string reason)
    {
        if (Interlocked.Exchange(ref _declaredDead, 1) != 0)
        {
            return;
        }

        Lease.Revoke();
        LogNoLongerMember(_logger, _name, Incarnation, reason);
        Changed.Pulse();
        DeclaredDead?.Invoke(reason);
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Silo {Silo} joined cluster {ClusterId} as incarnation {Incarnation} ({Partitions} partitions, table version {TableVersion})")]
    private static partial void LogJoined(ILogger logger, string silo, long incarnation, string clusterId, int partitions, long tableVersion);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Silo {Silo}: incarnation {Incarnation} still holds a lease for {Remaining}; joining when it ends (a restart after a crash, or another process uses this silo name)")]
    private static partial void LogWaitingForPreviousLease(ILogger logger, string silo, long incarnation, TimeSpan remaining);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Silo {Silo}: lease renewal failed; the lease lasts {Remaining} more locally")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string silo, TimeSpan remaining);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Declared silo {Silo} incarnation {Incarnation} dead: its lease ended {Overdue} ago by the store's clock")]
    private static partial void LogDeclaredDead(ILogger logger, string silo, long incarnation, TimeSpan overdue);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Critical, Message = "Silo {Silo} incarnation {Incarnation} is no longer a cluster member: {Reason}. It stops serving now")]
    private static partial void LogNoLongerMember(ILogger logger, string silo, long incarnation, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Silo {Silo} incarnation {Incarnation} is now {Status}")]
    private static partial void LogStatusChanged(ILogger logger, string silo, long incarnation, SiloStatus status);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Silo {Silo}: acting on a lease renewal failed (reading the table or declaring an expired silo dead); the next renewal tries again")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception exception, string silo);
}
