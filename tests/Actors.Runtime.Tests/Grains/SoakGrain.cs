namespace Actors.Runtime.Tests.Grains;

public interface ISoakGrain : IGrainWithIntegerKey
{
    Task<int> Ping();

    Task<int> PingYield();

    /// <summary>Calls <paramref name="leaf"/>'s Ping, then counts itself.</summary>
    Task<int> Relay(long leaf);

    Task<int> Count();
}

/// <summary>Counts every call it served; the soak test checks no call was lost or served twice.</summary>
public sealed class SoakGrain : Grain, ISoakGrain
{
    private int _served;

    public Task<int> Ping() => Task.FromResult(++_served);

    public async Task<int> PingYield()
    {
        await Task.Yield();
        return ++_served;
    }

    public async Task<int> Relay(long leaf)
    {
        await GrainFactory.GetGrain<ISoakGrain>(leaf).Ping();
        return ++_served;
    }

    public Task<int> Count() => Task.FromResult(_served);
}
