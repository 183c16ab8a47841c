using Actors.Concurrency;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

/// <summary>How a test timer is created and how its callback behaves.</summary>
/// <param name="Name">The timer's name in probe records.</param>
/// <param name="Gated">Whether each callback waits for the gate <c>{Name}:{n}</c> (or its cancellation) before it ends.</param>
/// <param name="Throw">Whether each callback throws after recording its tick.</param>
[GenerateSerializer, Alias("tests.runtime.timer-spec")]
public sealed record TimerSpec(string Name, TimeSpan DueTime, TimeSpan Period, bool Interleave = false, bool KeepAlive = false, bool Gated = false, bool Throw = false);

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimerSpec spec);

    Task StartLegacy(string name, TimeSpan dueTime, TimeSpan period);

    Task Change(string name, TimeSpan dueTime, TimeSpan period);

    Task Stop(string name);

    /// <summary>Records <c>start:{gate}</c>, waits for the gate, records <c>end:{gate}</c>.</summary>
    Task Blocked(string gate);

    Task<int> Ticks(string name);

    Task Deactivate();
}

/// <summary>
/// Registers timers on request. A callback records <c>tick:{name}:{n}</c> (and whether it ran inside a request, as
/// <c>inside-request:{name}:{n}</c>); a gated one then waits for gate <c>{name}:{n}</c> and records
/// <c>end:{name}:{n}</c>, or <c>cancelled:{name}:{n}</c> when its token fires first.
/// </summary>
public class TimerGrain(Probe probe) : Grain, ITimerGrain
{
    private readonly Dictionary<string, IDisposable> _timers = [];
    private readonly Dictionary<string, int> _ticks = [];
    private int _requestsRunning;

    public Task Start(TimerSpec spec)
    {
        _timers[spec.Name] = this.RegisterGrainTimer(
            static (s, token) => s.Grain.OnTick(s.Spec, token),
            (Grain: this, Spec: spec),
            new GrainTimerCreationOptions(spec.DueTime, spec.Period) { Interleave = spec.Interleave, KeepAlive = spec.KeepAlive });
        return Task.CompletedTask;
    }

    public Task StartLegacy(string name, TimeSpan dueTime, TimeSpan period)
    {
#pragma warning disable CS0618 // The obsolete Orleans API is what this test exercises.
        _timers[name] = RegisterTimer(state => OnTick((TimerSpec)state!, CancellationToken.None), new TimerSpec(name, dueTime, period), dueTime, period);
#pragma warning restore CS0618
        return Task.CompletedTask;
    }

    public Task Change(string name, TimeSpan dueTime, TimeSpan period)
    {
        ((IGrainTimer)_timers[name]).Change(dueTime, period);
        return Task.CompletedTask;
    }

    public Task Stop(string name)
    {
        _timers[name].Dispose();
        return Task.CompletedTask;
    }

    public async Task Blocked(string gate)
    {
        _requestsRunning++;
        probe.Record($"start:{gate}");
        await probe.Gate(gate).Task;
        probe.Record($"end:{gate}");
        _requestsRunning--;
    }

    public Task<int> Ticks(string name) => Task.FromResult(_ticks.GetValueOrDefault(name));

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivated:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    private async Task OnTick(TimerSpec spec, CancellationToken token)
    {
        int n = _ticks[spec.Name] = _ticks.GetValueOrDefault(spec.Name) + 1;
        if (_requestsRunning > 0)
        {
            probe.Record($"inside-request:{spec.Name}:{n}");
        }

        probe.Record($"tick:{spec.Name}:{n}");
        if (!TaskScheduler.Current.GetType().Name.Contains("Activation", StringComparison.Ordinal))
        {
            probe.Record($"off-scheduler:{spec.Name}:{n}");
        }

        if (spec.Throw)
        {
            throw new InvalidOperationException($"tick {n} of {spec.Name} failed on purpose");
        }

        if (spec.Gated)
        {
            Task cancelled = Task.Delay(Timeout.Infinite, token);
            await Task.WhenAny(probe.Gate($"{spec.Name}:{n}").Task, cancelled);
            probe.Record(token.IsCancellationRequested ? $"cancelled:{spec.Name}:{n}" : $"end:{spec.Name}:{n}");
        }
    }
}

public interface IReentrantTimerGrain : ITimerGrain
{
}

[Reentrant]
public sealed class ReentrantTimerGrain(Probe probe) : TimerGrain(probe), IReentrantTimerGrain
{
}
