using System.Reflection;
using Actors.Invocation;
using Actors.Runtime;

namespace Actors.Timers;

/// <summary>
/// A grain timer: an <see cref="ITimer"/> of the runtime's <see cref="TimeProvider"/> that, when due, queues a tick on
/// its activation as a local turn. The next tick is armed only after the callback completes, so callbacks never
/// overlap and the period runs from completion to the next start (Orleans' rule).
/// </summary>
/// <remarks>
/// States: idle (armed or paused) -> firing (from the moment the tick is queued until its callback completes) -> idle.
/// <see cref="Change"/> while idle re-arms at once; while firing it is deferred to the callback's completion, which then
/// arms with the new due time instead of the period. Disposal (by the grain or with the activation) cancels the token
/// of a running callback and stops every later tick; a tick already queued runs no callback. Thread-safe.
/// </remarks>
internal abstract class GrainTimer : IGrainTimer, ILocalTurn
{
    /// <summary>The method a tick presents itself as.</summary>
    internal static readonly GrainMethod TickMethod = GrainMethod.For(
        typeof(IGrainTimerInvoker).GetMethod(nameof(IGrainTimerInvoker.InvokeCallbackAsync), BindingFlags.Public | BindingFlags.Instance)!);

    // The largest due time or period System.Threading.Timer accepts, in milliseconds.
    private const long MaxSupportedMilliseconds = 0xfffffffe;

    private readonly object _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly ActivationData _activation;
    private readonly ITimer _timer;
    private TimeSpan _dueTime = Timeout.InfiniteTimeSpan;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _firing;
    private bool _changedWhileFiring;
    private bool _isDisposed;

    protected GrainTimer(ActivationData activation, bool interleave, bool keepAlive)
    {
        _activation = activation;
        Interleave = interleave;
        KeepAlive = keepAlive;

        // The timer's callback must not carry the registering turn's async-local values (request context) into ticks.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = activation.Runtime.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public bool Interleave { get; }

    /// <inheritdoc />
    public bool KeepAlive { get; }

    /// <summary>Throws when <paramref name="dueTime"/> or <paramref name="period"/> is not a valid timer delay.</summary>
    public static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        ValidateDelay(dueTime, nameof(dueTime));
        ValidateDelay(period, nameof(period));
    }

    /// <inheritdoc />
    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        lock (_lock)
        {
            if (_isDisposed)
            {
                return;
            }

            _dueTime = dueTime;
            _period = period;
            if (_firing)
            {
                _changedWhileFiring = true;
                return;
            }

            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (DisposeCore())
        {
            _activation.RemoveTimer(this);
        }
    }

    /// <summary>Disposes the timer because its activation is deactivating (the activation already forgot it).</summary>
    public void DisposeWithActivation() => DisposeCore();

    /// <inheritdoc />
    async Task ILocalTurn.RunAsync()
    {
        try
        {
            if (!_disposed.IsCancellationRequested)
            {
                await InvokeCallbackAsync(_disposed.Token);
            }
        }
        catch (Exception ex)
        {
            _activation.Runtime.Log.TimerCallbackFailed(ex, _activation.GrainId, Describe());
        }
        finally
        {
            OnTickCompleted();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"GrainTimer({_activation.GrainId}, {Describe()})";

    /// <summary>Runs the grain's callback.</summary>
    protected abstract Task InvokeCallbackAsync(CancellationToken cancellationToken);

    /// <summary>The callback's name for logs.</summary>
    protected abstract string Describe();

    private static void ValidateDelay(TimeSpan value, string name)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        long milliseconds = (long)value.TotalMilliseconds;
        if (value < TimeSpan.Zero || milliseconds > MaxSupportedMilliseconds)
        {
            throw new ArgumentOutOfRangeException(name, value, $"A grain timer's {name} must be between zero and {MaxSupportedMilliseconds} ms, or Timeout.InfiniteTimeSpan.");
        }
    }

    /// <summary>The timer is due (a thread-pool thread): queue the tick on the activation.</summary>
    private void OnDue()
    {
        lock (_lock)
        {
            if (_isDisposed || _firing)
            {
                return;
            }

            _firing = true;
            _changedWhileFiring = false;
        }

        var tick = new GrainCall(this, TickMethod, _activation);
        if (!_activation.TryAcceptLocalTurn(tick))
        {
            // The activation is deactivating: it disposes this timer.
            lock (_lock)
            {
                _firing = false;
            }
        }
    }

    private void OnTickCompleted()
    {
        lock (_lock)
        {
            _firing = false;
            if (_isDisposed)
            {
                return;
            }

            _timer.Change(_changedWhileFiring ? _dueTime : _period, Timeout.InfiniteTimeSpan);
        }
    }

    private bool DisposeCore()
    {
        lock (_lock)
        {
            if (_isDisposed)
            {
                return false;
            }

            _isDisposed = true;
            _timer.Dispose();
        }

        _disposed.Cancel();
        return true;
    }
}
