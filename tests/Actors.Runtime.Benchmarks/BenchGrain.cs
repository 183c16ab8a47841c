namespace Actors.RuntimeBenchmarks;

/// <summary>
/// The benchmark's grain: trivial state, a synchronous call, a call that yields (its continuation is queued back to the
/// activation) and a grain-to-grain call. Relay targets must be grains that never relay back (a cycle between
/// non-reentrant grains waits for the response timeout, by design).
/// </summary>
public interface IBenchGrain : IGrainWithIntegerKey
{
    Task<int> Ping();

    Task<int> PingYield();

    Task<int> Relay(long other);
}

/// <summary>A trivial grain: one counter.</summary>
public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _calls;

    public Task<int> Ping() => Task.FromResult(++_calls);

    public async Task<int> PingYield()
    {
        await Task.Yield();
        return ++_calls;
    }

    public async Task<int> Relay(long other)
    {
        await GrainFactory.GetGrain<IBenchGrain>(other).Ping();
        return ++_calls;
    }
}
