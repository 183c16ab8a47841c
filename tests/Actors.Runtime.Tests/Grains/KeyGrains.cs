using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public interface IGuidCompoundGrain : IGrainWithGuidCompoundKey
{
    Task<(Guid Key, string? Extension)> Keys();

    Task<int> Increment();
}

public sealed class GuidCompoundGrain : Grain, IGuidCompoundGrain
{
    private int _count;

    public Task<(Guid Key, string? Extension)> Keys()
    {
        Guid key = GetPrimaryKey(out string? extension);
        return Task.FromResult((key, extension));
    }

    public Task<int> Increment() => Task.FromResult(++_count);
}

public interface IIntegerCompoundGrain : IGrainWithIntegerCompoundKey
{
    Task<(long Key, string? Extension)> Keys();
}

public sealed class IntegerCompoundGrain : Grain, IIntegerCompoundGrain
{
    public Task<(long Key, string? Extension)> Keys()
    {
        long key = this.GetPrimaryKeyLong(out string? extension);
        return Task.FromResult((key, extension));
    }
}

public interface IGreeter : IGrainWithStringKey
{
    Task<string> Greet();
}

public sealed class EnglishGreeterGrain : Grain, IGreeter
{
    public Task<string> Greet() => Task.FromResult("hello " + GetPrimaryKeyString());
}

public sealed class FrenchGreeterGrain : Grain, IGreeter
{
    public Task<string> Greet() => Task.FromResult("bonjour " + GetPrimaryKeyString());
}

public interface IPocoGrain : IGrainWithIntegerKey
{
    Task<string> Describe();

    Task StartTimer();

    Task<int> TimerTicks();

    Task Deactivate();
}

/// <summary>A POCO grain: no Grain base class, its activation context injected, Orleans's extension methods for the rest.</summary>
internal sealed class PocoGrain(IGrainContext context, Probe probe) : IGrainBase, IPocoGrain
{
    private int _ticks;

    public IGrainContext GrainContext { get; } = context;

    public Task OnActivateAsync(CancellationToken token)
    {
        probe.Record($"poco-activate:{this.GetPrimaryKeyLong()}");
        return Task.CompletedTask;
    }

    public Task OnDeactivateAsync(DeactivationReason reason, CancellationToken token)
    {
        probe.Record($"poco-deactivate:{this.GetPrimaryKeyLong()}:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task<string> Describe() => Task.FromResult($"{GrainContext.GrainId} key {this.GetPrimaryKeyLong()} long-based {this.IsPrimaryKeyBasedOnLong()}");

    public Task StartTimer()
    {
        this.RegisterGrainTimer(() =>
        {
            probe.Record($"poco-tick:{++_ticks}");
            return Task.CompletedTask;
        }, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task<int> TimerTicks() => Task.FromResult(_ticks);

    public Task Deactivate()
    {
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
