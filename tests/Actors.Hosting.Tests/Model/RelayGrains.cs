using Actors.Runtime;

namespace Actors.Hosting.Tests.Model;

/// <summary>A client-side observer that calls back into the grain that called it (a call chain through the gateway).</summary>
public interface IRelayObserver : IGrainObserver
{
    Task<string> Relay(string origin);
}

public interface IRelayGrain : IGrainWithStringKey
{
    /// <summary>Calls the observer, which calls <see cref="Echo"/> back on this grain through the client's gateway connection.</summary>
    Task<string> AskClient(IRelayObserver observer, bool allowReentrancy);

    Task<string> Echo(string text);
}

/// <summary>Not reentrant: the callback starts only inside a call-chain reentrant section.</summary>
public sealed class RelayGrain : Grain, IRelayGrain
{
    public async Task<string> AskClient(IRelayObserver observer, bool allowReentrancy)
    {
        if (!allowReentrancy)
        {
            return await observer.Relay(this.GetPrimaryKeyString());
        }

        using ReentrancySection section = RequestContext.AllowCallChainReentrancy();
        return await observer.Relay(this.GetPrimaryKeyString());
    }

    public Task<string> Echo(string text) => Task.FromResult($"{this.GetPrimaryKeyString()} echoes {text}");
}

/// <summary>Runs on the client: calls the origin grain back with the request context it received.</summary>
public sealed class RelayObserver(IGrainFactory client) : IRelayObserver
{
    public Task<string> Relay(string origin) => client.GetGrain<IRelayGrain>(origin).Echo("via the client");
}
