using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

/// <summary>What one grain saw when a call reached it.</summary>
[GenerateSerializer, Alias("tests.runtime.hop-report")]
public sealed record HopReport(string Grain, string? Trace, string? AddedBy, string? Back);

public interface IHopGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the request context, sets "added-by" when it was absent, calls the next grain of <paramref name="path"/>
    /// (which sets "back" in its own context), and returns every hop's report, this one first.
    /// </summary>
    Task<HopReport[]> Relay(string[] path);

    Task<string?> ReadTrace();

    Task<int> MutateList(List<string> marker);

    Task StartTimer();

    Task<int> Add(int a, int b);

    Task Fail();
}

public sealed class HopGrain(Probe probe) : Grain, IHopGrain
{
    public async Task<HopReport[]> Relay(string[] path)
    {
        var here = new HopReport(GetPrimaryKeyString(), RequestContext.Get("trace") as string, RequestContext.Get("added-by") as string, RequestContext.Get("back") as string);
        RequestContext.Set("back", GetPrimaryKeyString());
        if (path.Length == 0)
        {
            return [here];
        }

        if (RequestContext.Get("added-by") is null)
        {
            RequestContext.Set("added-by", GetPrimaryKeyString());
        }

        HopReport[] rest = await GrainFactory.GetGrain<IHopGrain>(path[0]).Relay(path[1..]);
        return [here, .. rest];
    }

    public Task<string?> ReadTrace() => Task.FromResult(RequestContext.Get("trace") as string);

    public Task<int> MutateList(List<string> marker)
    {
        var list = (List<string>)RequestContext.Get("list")!;
        list.Add("callee");
        return Task.FromResult(list.Count);
    }

    public Task StartTimer()
    {
        this.RegisterGrainTimer(() =>
        {
            probe.Record($"tick-trace:{RequestContext.Get("trace") ?? "none"}");
            return Task.CompletedTask;
        }, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task<int> Add(int a, int b) => Task.FromResult(a + b);

    public Task Fail() => throw new InvalidOperationException("failed on purpose");
}

public interface IGuardedGrain : IGrainWithStringKey
{
    Task<int> Add(int a, int b);

    Task<string> Secret();
}

/// <summary>A grain-level incoming filter: records itself and refuses Secret() without calling it.</summary>
public sealed class GuardedGrain(Probe probe) : Grain, IGuardedGrain, IIncomingGrainCallFilter
{
    public Task<int> Add(int a, int b) => Task.FromResult(a + b);

    public Task<string> Secret() => Task.FromResult("the secret");

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        probe.Record($"grain-filter:{context.MethodName}:{context.ImplementationMethod.DeclaringType?.Name}");
        if (context.MethodName == nameof(Secret))
        {
            context.Result = "refused";
            return;
        }

        await context.Invoke();
    }
}
