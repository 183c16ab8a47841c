using System.Collections.Concurrent;
using Actors.Hosting;

namespace Actors.Runtime;

/// <summary>
/// Watches every call in flight in this silo through a <see cref="CallTracker"/>: fails a call whose response deadline
/// passed (<see cref="TimeoutException"/>), and reports a call whose turn runs, or which waits in its activation's
/// queue, longer than the stuck-call threshold (the stuck-grain detector: logged once with grain, method and wait,
/// counted in <c>actors.grains.stuck</c>, listed by <see cref="GetStuckCalls"/> for health).
/// </summary>
/// <remarks>
/// A call is tracked from dispatch until it is settled (the caller has its outcome and the request is not running),
/// filed under the earliest time it needs attention: its deadline while the caller waits, and the moment it would
/// become stuck. <see cref="Check"/> (the runtime's timer, every <see cref="CallTracker.Resolution"/>) handles only the
/// calls due, so its cost follows the calls in flight, not the activations. Thread-safe; checks never overlap.
/// </remarks>
internal sealed class OutstandingCalls : IStuckGrainMonitor
{
    private readonly GrainRuntime _runtime;
    private readonly CallTracker _tracker;
    private readonly long _thresholdTicks;
    private readonly ConcurrentDictionary<GrainCall, StuckGrainCall> _stuck = new();
    private readonly List<GrainCall> _due = [];
    private long _detections;
    private int _checking;

    public OutstandingCalls(GrainRuntime runtime)
    {
        _runtime = runtime;
        RuntimeSettings settings = runtime.Settings;
        Threshold = settings.StuckCallThreshold;
        _thresholdTicks = settings.StuckCallThreshold.Ticks;
        ResponseTimeoutTicks = settings.ResponseTimeout.Ticks;
        TimeSpan horizon = settings.ResponseTimeout < settings.StuckCallThreshold ? settings.StuckCallThreshold : settings.ResponseTimeout;
        _tracker = new CallTracker(CheckPeriod(settings.ResponseTimeout), horizon, runtime.TimeProvider.GetUtcNow().UtcTicks);
    }

    /// <inheritdoc />
    public TimeSpan Threshold { get; }

    /// <summary>The response timeout in ticks, fixed when the runtime was built (a call's deadline is its dispatch time plus this).</summary>
    public long ResponseTimeoutTicks { get; }

    /// <inheritdoc />
    public long Detections => Interlocked.Read(ref _detections);

    /// <summary>How often <see cref="Check"/> should run: the tracker's resolution.</summary>
    public TimeSpan Period => _tracker.Resolution;

    /// <summary>Calls tracked now.</summary>
    public int Count => _tracker.Count;

    /// <summary>Calls reported stuck now.</summary>
    public int StuckCount => _stuck.Count;

    /// <summary>
    /// How often deadlines and stuck calls are looked for: an eighth of the response timeout, between 10 ms and 1 s. A
    /// call therefore fails at most about one period after its deadline.
    /// </summary>
    public static TimeSpan CheckPeriod(TimeSpan responseTimeout)
        => TimeSpan.FromTicks(Math.Clamp(responseTimeout.Ticks / 8, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));

    /// <inheritdoc />
    public IReadOnlyList<StuckGrainCall> GetStuckCalls() => [.. _stuck.Values];

    /// <summary>Starts watching a call being dispatched.</summary>
    public void Track(GrainCall call) => _tracker.Track(call, Math.Min(call.DeadlineTicks, Saturating(call.DispatchedTicks, _thresholdTicks)));

    /// <summary>The call is settled: stop watching it. Idempotent.</summary>
    public void OnSettled(GrainCall call)
    {
        _tracker.Untrack(call);
        _stuck.TryRemove(call, out _);
    }

    // Untrack and Track meet under the call's stripe lock; the stuck set meets ObserveProgress through its own
    // re-check of IsSettled after adding. Either way a settled call leaves no entry behind.

    /// <summary>Handles the calls due at <paramref name="nowTicks"/>; returns how many timed out.</summary>
    public int Check(long nowTicks)
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return 0;
        }

        int timedOut = 0;
        try
        {
            _due.Clear();
            _tracker.TakeDue(nowTicks, _due);
            foreach (GrainCall call in _due)
            {
                if (!call.IsCallerDone && nowTicks >= call.DeadlineTicks && TimeOut(call))
                {
                    timedOut++;
                }

                if (call.IsSettled)
                {
                    // Settled while it was out of the tracker (its own untrack found nothing to remove).
                    _stuck.TryRemove(call, out _);
                    continue;
                }

                ObserveProgress(call, nowTicks);
                _tracker.Track(call, NextDue(call, nowTicks));
            }
        }
        finally
        {
            _due.Clear();
            Volatile.Write(ref _checking, 0);
        }

        return timedOut;
    }

    /// <summary>Fails every tracked call that still waits (the silo was killed); returns how many.</summary>
    public int FailAll(Func<GrainCall, Exception> error)
    {
        var all = new List<GrainCall>();
        _tracker.TakeAll(all);
        _stuck.Clear();
        return all.Count(call => call.Fail(error(call)));
    }

    private bool TimeOut(GrainCall call)
    {
        TimeSpan timeout = _runtime.Settings.ResponseTimeout;
        if (!call.Fail(new TimeoutException(
            $"Call {call} got no response within {timeout} (a call cycle between non-reentrant grains, or a slow grain).")))
        {
            return false;
        }

        _runtime.Instruments.CallTimedOut();
        _runtime.Log.CallTimedOut(call.Request.Method.Key, call.Target, timeout);
        return true;
    }

    private void ObserveProgress(GrainCall call, long nowTicks)
    {
        StuckKind kind = Classify(call, nowTicks);
        if (kind == call.Stuck)
        {
            return;
        }

        call.Stuck = kind;
        if (kind == StuckKind.None)
        {
            _stuck.TryRemove(call, out _);
            return;
        }

        bool running = kind == StuckKind.Turn;
        var duration = TimeSpan.FromTicks(nowTicks - (running ? call.StartedTicks : call.DispatchedTicks));
        string method = $"{call.Request.Method.InterfaceType.Name}.{call.Request.Method.Method.Name}";
        _stuck[call] = new StuckGrainCall(call.Target, method, running, duration);
        if (call.IsSettled)
        {
            // Settled meanwhile: its own removal may have run before the entry above was added.
            _stuck.TryRemove(call, out _);
            return;
        }

        Interlocked.Increment(ref _detections);
        _runtime.Instruments.StuckCallDetected(running);
        ActivationData? activation = call.Activation;
        (int runningCount, int queued, ActivationState state) = activation?.Snapshot() ?? (0, 0, ActivationState.Invalid);
        if (running)
        {
            _runtime.Log.StuckTurn(call.Target, method, duration, queued, Threshold);
        }
        else if (runningCount > 0)
        {
            _runtime.Log.StuckInQueue(call.Target, method, duration, runningCount, state, Threshold);
        }
        else
        {
            // Nothing runs and yet the request does not start: the activation itself is wedged.
            _runtime.Log.ActivationNotProgressing(call.Target, method, duration, state, queued, Threshold);
        }
    }

    private StuckKind Classify(GrainCall call, long nowTicks)
    {
        if (call.IsRunning)
        {
            long started = call.StartedTicks;
            return started != 0 && nowTicks - started >= _thresholdTicks ? StuckKind.Turn : StuckKind.None;
        }

        return !call.IsCallerDone && nowTicks - call.DispatchedTicks >= _thresholdTicks ? StuckKind.Queue : StuckKind.None;
    }

    private long NextDue(GrainCall call, long nowTicks)
    {
        long next;
        if (call.Stuck != StuckKind.None)
        {
            next = Saturating(nowTicks, _thresholdTicks);
        }
        else if (call.IsRunning)
        {
            long started = call.StartedTicks;
            next = Saturating(started == 0 ? nowTicks : started, _thresholdTicks);
        }
        else
        {
            next = Saturating(call.DispatchedTicks, _thresholdTicks);
        }

        if (!call.IsCallerDone)
        {
            next = Math.Min(next, call.DeadlineTicks);
        }

        return Math.Max(next, nowTicks + 1);
    }

    private static long Saturating(long ticks, long add) => ticks > long.MaxValue - add ? long.MaxValue : ticks + add;
}
