using Actors.Concurrency;
using Actors.Invocation;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public interface IAttributedGrain : IGrainWithStringKey
{
    /// <summary>Records start:{gate}, waits for the gate, records end:{gate}.</summary>
    Task Blocked(string gate);

    [AlwaysInterleave]
    Task<string> Interleaving(string tag);

    [ReadOnly]
    Task Read(string gate);

    Task Write(string gate);

    /// <summary>Implemented with a method-level [Reentrant] in the class.</summary>
    Task<string> ReentrantMethod(string tag);

    Task<string> Plain(string tag);

    [OneWay]
    Task Fire(string gate);

    [OneWay]
    Task FireAndFail();
}

public class AttributedGrain(Probe probe) : Grain, IAttributedGrain
{
    public Task Blocked(string gate) => Gated(gate);

    public Task<string> Interleaving(string tag)
    {
        probe.Record($"interleaving:{tag}");
        return Task.FromResult(tag);
    }

    public Task Read(string gate) => Gated(gate);

    public Task Write(string gate) => Gated(gate);

    [Reentrant]
    public Task<string> ReentrantMethod(string tag)
    {
        probe.Record($"reentrant-method:{tag}");
        return Task.FromResult(tag);
    }

    public Task<string> Plain(string tag)
    {
        probe.Record($"plain:{tag}");
        return Task.FromResult(tag);
    }

    public Task Fire(string gate) => Gated(gate);

    public Task FireAndFail() => throw new InvalidOperationException("one-way failure nobody sees");

    private async Task Gated(string gate)
    {
        probe.Record($"start:{gate}");
        await probe.Gate(gate).Task;
        probe.Record($"end:{gate}");
    }
}

public interface IPredicateGrain : IGrainWithStringKey
{
    Task Blocked(string gate);

    Task<string> Work(string mode);
}

/// <summary>[MayInterleave]: a call whose first argument is "interleave" may start while another runs.</summary>
[MayInterleave(nameof(ArgumentSaysInterleave))]
public sealed class PredicateGrain(Probe probe) : AttributedGrain(probe), IPredicateGrain
{
    public Task<string> Work(string mode) => Plain(mode);

    public static bool ArgumentSaysInterleave(IInvokable request)
        => request.GetArgumentCount() > 0 && request.GetArgument(0) is "interleave";
}

public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="peer"/>, which calls back <see cref="Echo"/> on this grain.</summary>
    Task<string> RoundTrip(string peer, bool allowReentrancy, bool suppressInside);

    /// <summary>Calls Echo on <paramref name="origin"/>.</summary>
    Task<string> CallBack(string origin);

    Task<string> Echo(string text);
}

public sealed class ChainGrain : Grain, IChainGrain
{
    public async Task<string> RoundTrip(string peer, bool allowReentrancy, bool suppressInside)
    {
        if (!allowReentrancy)
        {
            return await GrainFactory.GetGrain<IChainGrain>(peer).CallBack(GetPrimaryKeyString());
        }

        using ReentrancySection section = RequestContext.AllowCallChainReentrancy();
        if (suppressInside)
        {
            using ReentrancySection suppressed = RequestContext.SuppressCallChainReentrancy();
            return await GrainFactory.GetGrain<IChainGrain>(peer).CallBack(GetPrimaryKeyString());
        }

        return await GrainFactory.GetGrain<IChainGrain>(peer).CallBack(GetPrimaryKeyString());
    }

    public Task<string> CallBack(string origin) => GrainFactory.GetGrain<IChainGrain>(origin).Echo($"via {GetPrimaryKeyString()}");

    public Task<string> Echo(string text) => Task.FromResult($"{GetPrimaryKeyString()} echoes {text}");
}

public interface IWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Records start:{gate}:{instance}, waits for the gate; returns the activation's instance number.</summary>
    Task<int> Work(string gate);
}

[StatelessWorker(2)]
public sealed class WorkerGrain(Probe probe) : Grain, IWorkerGrain
{
    private static int _instances;
    private readonly int _instance = Interlocked.Increment(ref _instances);

    public async Task<int> Work(string gate)
    {
        probe.Record($"start:{gate}");
        await probe.Gate(gate).Task;
        return _instance;
    }
}
