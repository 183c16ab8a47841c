using Actors.Invocation;
using Actors.Hosting;
using Actors.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Runtime;

/// <summary>
/// The silo's grain runtime: catalog, settings, time, copy rule, instruments, and the start / graceful stop / kill
/// lifecycle the host drives.
/// </summary>
internal sealed class GrainRuntime : ISiloControl, ISiloActivations, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _deactivationGrace = new();
    private readonly MemoryRelease _memoryRelease;
    private IGrainFactory? _grainFactory;
    private LocalGrainCallInvoker? _invoker;
    private IGrainCallRouter? _router;
    private bool _routerResolved;
    private ITimer? _collector;
    private ITimer? _timeoutSweep;
    private volatile bool _isStopping;
    private int _isKilled;

    public GrainRuntime(IServiceProvider services, GrainTypeRegistry types, RuntimeSettings settings, TimeProvider timeProvider, IGrainSerializer serializer, DeepCopier deepCopier, RuntimeInstruments instruments)
    {
        Services = services;
        Types = types;
        Settings = settings;
        TimeProvider = timeProvider;
        Copier = new CallCopier(deepCopier);
        Serializer = serializer;
        Instruments = instruments;
        Log = services.GetService<ILoggerFactory>()?.CreateLogger("Actors.Runtime") ?? NullLogger.Instance;
        Catalog = new Catalog(this);
        Filters = new GrainCallFilters(services);
        Extensions = services.GetServices<GrainExtensionRegistration>()
            .GroupBy(r => r.InterfaceType)
            .ToDictionary(g => g.Key, g => g.Last().Factory);
        Observers = new ObserverCallRouter(this, services.GetRequiredService<ObserverRegistry>());
        _memoryRelease = new MemoryRelease(this);
        Collector = new ActivationCollector(settings.CollectionQuantum);
        OutstandingCalls = new OutstandingCalls(this);
        Stopping = _stopping.Token;
        DeactivationCancellation = _deactivationGrace.Token;
        instruments.ObserveQueueLength(() => QueuedRequests.Value);
        instruments.ObserveStuckCalls(() => OutstandingCalls.StuckCount);
    }

    public IServiceProvider Services { get; }

    /// <summary>The silo's incoming and outgoing call filters.</summary>
    public GrainCallFilters Filters { get; }

    /// <summary>Delivers calls to observer objects (<see cref="IGrainObserver"/> references).</summary>
    public ObserverCallRouter Observers { get; }

    public GrainTypeRegistry Types { get; }

    /// <summary>The factories of the registered grain extensions, by extension interface.</summary>
    public IReadOnlyDictionary<Type, Func<IGrainContext, object>> Extensions { get; }

    public RuntimeSettings Settings { get; }

    public TimeProvider TimeProvider { get; }

    public CallCopier Copier { get; }

    public IGrainSerializer Serializer { get; }

    public RuntimeInstruments Instruments { get; }

    public ILogger Log { get; }

    public Catalog Catalog { get; }

    /// <summary>Idle collection by time buckets.</summary>
    public ActivationCollector Collector { get; }

    /// <summary>Every call in flight: response deadlines and the stuck-grain detector.</summary>
    public OutstandingCalls OutstandingCalls { get; }

    /// <summary>Requests queued at activations and not yet started (the queued-requests gauge).</summary>
    public StripedCounter QueuedRequests { get; } = new();

    /// <summary>The current time in UTC ticks, from <see cref="TimeProvider"/>.</summary>
    public long NowTicks => TimeProvider.GetUtcNow().UtcTicks;

    public IGrainFactory GrainFactory => _grainFactory ??= Services.GetRequiredService<IGrainFactory>();

    public LocalGrainCallInvoker Invoker => _invoker ??= Services.GetRequiredService<LocalGrainCallInvoker>();

    /// <summary>The registered <see cref="IGrainCallRouter"/> (a cluster's), or null for a single silo.</summary>
    public IGrainCallRouter? Router
    {
        get
        {
            if (!Volatile.Read(ref _routerResolved))
            {
                _router = Services.GetService<IGrainCallRouter>();
                Volatile.Write(ref _routerResolved, true);
            }

            return _router;
        }
    }

    /// <inheritdoc />
    int ISiloActivations.Count => Catalog.Count;

    /// <inheritdoc />
    public IReadOnlyList<GrainId> GetActivations(Func<GrainId, bool>? filter = null) => Catalog.GetGrainIds(filter);

    /// <inheritdoc />
    public Task DeactivateAsync(Func<GrainId, bool> filter, DeactivationReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Catalog.RelocateAsync(filter, reason, cancellationToken);
    }

    /// <summary>Cancelled when the silo begins to stop (passed to OnActivateAsync).</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Cancelled when the shutdown grace period ends (passed to OnDeactivateAsync).</summary>
    public CancellationToken DeactivationCancellation { get; }

    public bool IsStopping => _isStopping;

    public bool IsKilled => Volatile.Read(ref _isKilled) != 0;

    /// <summary>Checks the grain classes' stores and grain interfaces and starts idle collection.</summary>
    /// <exception cref="InvalidOperationException">A grain class uses a store that is not configured, or implements a grain interface the code generator did not process.</exception>
    public void Start()
    {
        string[] problems = Types.Classes.SelectMany(c => c.FindMissingStores(Services).Concat(c.FindUngeneratedInterfaces()))
            .Concat(Types.FindGenericClassProblems()).ToArray();
        if (problems.Length > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        _collector = TimeProvider.CreateTimer(static s => ((GrainRuntime)s!).OnTimer(static r => r.StartCollection(), "idle collection"), this, Settings.CollectionQuantum, Settings.CollectionQuantum);
        _timeoutSweep = TimeProvider.CreateTimer(static s => ((GrainRuntime)s!).OnTimer(static r => r.CheckOutstandingCalls(), "outstanding call check"), this, OutstandingCalls.Period, OutstandingCalls.Period);
    }

    /// <summary>Fails the calls whose response deadline has passed and updates the stuck-grain detector (the timer calls it every <see cref="OutstandingCalls.Period"/>); returns how many timed out.</summary>
    public int CheckOutstandingCalls() => OutstandingCalls.Check(NowTicks);

    /// <summary>Runs a timer's work; an exception is logged instead of escaping into the timer thread (which would end the process).</summary>
    private void OnTimer(Action<GrainRuntime> work, string what)
    {
        try
        {
            work(this);
        }
        catch (Exception ex)
        {
            Log.TimerFailed(ex, what);
        }
    }

    /// <summary>Starts an idle-collection pass over the buckets due now, unless one is running (the timer calls it every collection quantum).</summary>
    private void StartCollection() => _ = CollectAsync();

    /// <summary>Runs one idle-collection pass now; returns how many activations it started deactivating.</summary>
    public async Task<int> CollectAsync()
    {
        if (_isStopping)
        {
            return 0;
        }

        try
        {
            int collected = await Collector.CollectAsync(NowTicks, Stopping);
            if (collected > 0)
            {
                Log.Collected(collected);
            }

            if (Settings.ReleaseMemoryAfterCollection && MemoryRelease.IsWorthwhile(collected, Catalog.Count))
            {
                // Give the deactivations the pass started a moment to finish, then return the freed memory.
                _memoryRelease.Schedule();
            }

            return collected;
        }
        catch (Exception ex)
        {
            Log.TimerFailed(ex, "idle collection");
            return 0;
        }
    }

    /// <summary>Graceful stop: refuse calls from outside grains, deactivate every activation within the grace period.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (IsKilled || _isStopping)
        {
            return;
        }

        _isStopping = true;
        _collector?.Dispose();
        await _stopping.CancelAsync();
        Log.ShuttingDown(Settings.SiloName, Catalog.Count, Settings.ShutdownGracePeriod);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(Settings.ShutdownGracePeriod);
        try
        {
            await Catalog.DeactivateAllAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Log.ShutdownGraceExpired(Settings.SiloName, Settings.ShutdownGracePeriod, Catalog.Count);
            await _deactivationGrace.CancelAsync();
            Catalog.KillAll();
        }
    }

    /// <inheritdoc />
    public async Task KillAsync()
    {
        // A full fence, not a volatile store: the catalog is read next, and a dispatcher that inserts an activation
        // and then reads this flag must not both miss each other (see ActivationData.TryAccept).
        if (Interlocked.Exchange(ref _isKilled, 1) != 0)
        {
            return;
        }

        _isStopping = true;
        _collector?.Dispose();
        _timeoutSweep?.Dispose();
        Log.Killed(Settings.SiloName, Catalog.Count);
        Catalog.KillAll();
        Collector.Clear();
        OutstandingCalls.FailAll(call => new SiloUnavailableException($"Silo '{Settings.SiloName}' was killed while call {call} was in flight."));
        await _stopping.CancelAsync();
        await _deactivationGrace.CancelAsync();
        foreach (ISiloAbruptStopParticipant participant in Services.GetServices<ISiloAbruptStopParticipant>())
        {
            try
            {
                await participant.AbandonAsync();
            }
            catch (Exception ex)
            {
                Log.AbandonFailed(ex, participant.GetType().FullName ?? participant.GetType().Name);
            }
        }
    }

    public void Dispose()
    {
        _memoryRelease.Dispose();
        _collector?.Dispose();
        _timeoutSweep?.Dispose();
        _stopping.Dispose();
        _deactivationGrace.Dispose();
    }
}
