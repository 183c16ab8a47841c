namespace Actors.Replication.Wal;

/// <summary>
/// One clock for many <see cref="ReplicaHost"/>s (<see cref="ReplicaHost.Ticker"/>): a single timer whose every firing
/// queues a tick on each host that subscribed, instead of a timer per host.
/// </summary>
/// <remarks>
/// <para>Why: a process hosting many replicas (a silo runs one per partition it holds) would otherwise fire a timer per
/// replica every half heartbeat interval, each at its own phase, each waking the thread pool on its own; with one timer the
/// replicas tick together, so their wake-ups, heartbeats and configuration reads come in one burst per period, and the
/// pool wakes once for them.</para>
/// <para>Timing: a host ticks every <see cref="Period"/> as with a timer of its own (the protocol's timeouts keep their
/// meaning); its first tick comes at the ticker's next firing, within one period of its start.</para>
/// <para>Thread safety: every member may be called from any thread. A tick callback must not block (a host's only queues
/// its tick on its driver loop).</para>
/// </remarks>
public sealed class ReplicaTicker : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private Action[] _subscribers = [];
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Creates a ticker firing every <paramref name="period"/> once a host subscribes.</summary>
    /// <param name="period">Between two ticks: at most half the heartbeat interval of every host that uses it.</param>
    /// <param name="time">The clock (the hosts' own); the system clock when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not positive.</exception>
    public ReplicaTicker(TimeSpan period, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        Period = period;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The time between two ticks.</summary>
    public TimeSpan Period { get; }

    /// <summary>How many callbacks are subscribed now (diagnostics and tests).</summary>
    public int Subscribers => Volatile.Read(ref _subscribers).Length;

    /// <summary>Stops the timer; subscribers tick no more.</summary>
    public async ValueTask DisposeAsync()
    {
        ITimer? timer;
        lock (_gate)
        {
            _disposed = true;
            Volatile.Write(ref _subscribers, []);
            timer = _timer;
            _timer = null;
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Calls <paramref name="tick"/> at every firing from now until the returned registration is disposed; the timer starts
    /// with the first subscriber.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The ticker was disposed.</exception>
    internal IDisposable Subscribe(Action tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Volatile.Write(ref _subscribers, [.. _subscribers, tick]);
            _timer ??= _time.CreateTimer(static state => ((ReplicaTicker)state!).Fire(), this, Period, Period);
        }

        return new Subscription(this, tick);
    }

    private void Unsubscribe(Action tick)
    {
        lock (_gate)
        {
            int at = Array.IndexOf(_subscribers, tick);
            if (at >= 0)
            {
                Volatile.Write(ref _subscribers, [.. _subscribers[..at], .. _subscribers[(at + 1)..]]);
            }
        }
    }

    private void Fire()
    {
        foreach (Action tick in Volatile.Read(ref _subscribers))
        {
            tick();
        }
    }

    private sealed class Subscription(ReplicaTicker ticker, Action tick) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                ticker.Unsubscribe(tick);
            }
        }
    }
}
