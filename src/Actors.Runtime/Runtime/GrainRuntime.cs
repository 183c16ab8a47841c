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
    private IGrainFactory? _grainFactory;
    private LocalGrainCallInvoker? _invoker;
    private IGrainCallRouter? _router;
    private bool _routerResolved;
    private ITimer? _collector;
    private ITimer? _timeoutSweep;
    private volatile bool _isStopping;
    private volatile bool _isKilled;

    public GrainRuntime(IServiceProvider services, GrainTypeRegistry types, RuntimeSettings settings, TimeProvider timeProvider, IGrainSerializer serializer, RuntimeInstruments instruments)
    {
        Services = services;
        Types = types;
        Settings = settings;
        TimeProvider = timeProvider;
        Copier = new CallCopier(serializer);
        Serializer = serializer;
        Instruments = instruments;
        Log = services.GetService<ILoggerFactory>()?.CreateLogger("Actors.Runtime") ?? NullLogger.Instance;
        Catalog = new Catalog(this);
        Stopping = _stopping.Token;
        DeactivationCancellation = _deactivationGrace.Token;
        instruments.ObserveQueueLength(() => Catalog.TotalQueueLength);
    }

    public IServiceProvider Services { get; }

    public GrainTypeRegistry Types { get; }

    public RuntimeSettings Settings { get; }

    public TimeProvider TimeProvider { get; }

    public CallCopier Copier { get; }

    public IGrainSerializer Serializer { get; }

    public RuntimeInstruments Instruments { get; }

    public ILogger Log { get; }

    public Catalog Catalog { get; }

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

    public bool IsKilled => _isKilled;

    /// <summary>Checks the grain classes' stores and starts idle collection.</summary>
    /// <exception cref="InvalidOperationException">A grain class uses a store that is not configured.</exception>
    public void Start()
    {
        string[] problems = Types.Classes.SelectMany(c => c.FindMissingStores(Services)).ToArray();
        if (problems.Length > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        _collector = TimeProvider.CreateTimer(static s => ((GrainRuntime)s!).OnTimer(static r => r.Collect(), "idle collection"), this, Settings.CollectionQuantum, Settings.CollectionQuantum);
        _timeoutSweep = TimeProvider.CreateTimer(static s => ((GrainRuntime)s!).OnTimer(static r => r.SweepTimeouts(), "response timeout sweep"), this, TimeoutSweepPeriod, TimeoutSweepPeriod);
    }

    /// <summary>
    /// How often expired calls are looked for: an eighth of the response timeout, between 10 ms and 1 s. A call
    /// therefore fails at most one period after its deadline. One shared timer is far cheaper than a timer per call.
    /// </summary>
    public TimeSpan TimeoutSweepPeriod => TimeSpan.FromTicks(Math.Clamp(Settings.ResponseTimeout.Ticks / 8, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));

    /// <summary>Fails the calls whose response deadline has passed (the timer calls it every <see cref="TimeoutSweepPeriod"/>).</summary>
    public int SweepTimeouts()
    {
        List<GrainWorkItem> expired = Catalog.CollectExpiredCalls(TimeProvider.GetUtcNow());
        foreach (GrainWorkItem work in expired)
        {
            if (work.TimeOut(Settings.ResponseTimeout))
            {
                Log.CallTimedOut(work.Request.Method.Key, work.Target, Settings.ResponseTimeout);
            }
        }

        return expired.Count;
    }

    /// <summary>Runs a timer's work; an exception is logged instead of escaping into the timer thread (which would end the process).</summary>
    private void OnTimer(Func<GrainRuntime, int> work, string what)
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

    /// <summary>Runs one idle-collection pass now (the timer calls it every collection quantum).</summary>
    public int Collect()
    {
        if (_isStopping)
        {
            return 0;
        }

        int collected = Catalog.Collect(TimeProvider.GetUtcNow());
        if (collected > 0)
        {
            Log.Collected(collected);
        }

        return collected;
    }

    /// <summary>Graceful stop: refuse calls from outside grains, deactivate every activation within the grace period.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_isKilled || _isStopping)
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
        if (_isKilled)
        {
            return;
        }

        _isKilled = true;
        _isStopping = true;
        _collector?.Dispose();
        _timeoutSweep?.Dispose();
        Log.Killed(Settings.SiloName, Catalog.Count);
        Catalog.KillAll();
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
        _collector?.Dispose();
        _timeoutSweep?.Dispose();
        _stopping.Dispose();
        _deactivationGrace.Dispose();
    }
}
