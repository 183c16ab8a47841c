using Actors.Wire;

namespace Actors.Hosting.Gateway;

/// <summary>
/// Where the silo's cluster serves partition-bound grains, for the gateway to tell clients that ask (a clustered silo
/// registers one; a single silo has none and its gateway sends no routing table).
/// </summary>
public interface IGatewayRoutingSource
{
    /// <summary>The latest table, or null while there is none yet.</summary>
    GatewayRoutingTable? Current { get; }

    /// <summary>Raised after <see cref="Current"/> changed. Handlers run on the raising thread and must not block.</summary>
    event Action? Changed;
}
