using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<string> Hello();

    Task Deactivate();

    Task KeepAlive(TimeSpan time);

    Task Fail(string message);
}

/// <summary>Fails activation when the probe's "fail-activation" count is positive (and decrements it).</summary>
public class LifecycleGrain : Grain, ILifecycleGrain
{
    private readonly Probe _probe;
    private readonly ActivationFailures _failures;

    public LifecycleGrain(Probe probe, ActivationFailures failures)
    {
        _probe = probe;
        _failures = failures;
        _probe.Record($"ctor:{GetPrimaryKeyString()}");
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_failures.TryConsume())
        {
            throw new InvalidOperationException("activation refused by test");
        }

        _probe.Record($"activate:{GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.Record($"deactivate:{GetPrimaryKeyString()}:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task<string> Hello()
    {
        _probe.Record($"call:{GetPrimaryKeyString()}");
        return Task.FromResult("hello " + GetPrimaryKeyString());
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task KeepAlive(TimeSpan time)
    {
        DelayDeactivation(time);
        return Task.CompletedTask;
    }

    public Task Fail(string message) => throw new ArgumentException(message);
}

[CollectionAgeLimit(2)]
public sealed class ShortLivedGrain(Probe probe, ActivationFailures failures) : LifecycleGrain(probe, failures), IShortLivedGrain
{
}

public interface IShortLivedGrain : ILifecycleGrain
{
}

public sealed class ActivationFailures
{
    private int _remaining;

    public void FailNext(int count) => _remaining = count;

    public bool TryConsume() => Interlocked.Decrement(ref _remaining) >= 0;
}

public interface IStubbornGrain : IGrainWithStringKey
{
    Task Touch();
}

/// <summary>Its OnDeactivateAsync only ends when the shutdown grace period cancels it.</summary>
public sealed class StubbornGrain(Probe probe) : Grain, IStubbornGrain
{
    public Task Touch() => Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record("deactivating");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Record("deactivation-cancelled");
            throw;
        }
    }
}

public interface ISlowExitGrain : IGrainWithStringKey
{
    Task<int> Generation();

    Task Leave();
}

/// <summary>OnDeactivateAsync waits for the probe's "exit" gate.</summary>
public sealed class SlowExitGrain(Probe probe) : Grain, ISlowExitGrain
{
    private static int _generations;
    private readonly int _generation = Interlocked.Increment(ref _generations);

    public Task<int> Generation() => Task.FromResult(_generation);

    public Task Leave()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record("exiting");
        await probe.Gate("exit").Task;
    }
}
