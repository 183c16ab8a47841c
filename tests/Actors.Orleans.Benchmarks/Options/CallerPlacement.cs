namespace Actors.Orleans.Benchmarks.Options;

/// <summary>Where the cluster section's closed-loop callers run (<c>--callers-from</c>).</summary>
public enum CallerPlacement
{
    /// <summary>
    /// Inside a silo, through its own grain factory: the one silo's calls are local, in-process calls (no serialization, no
    /// messaging); of the replicating silos', the callers use the first silo's, so calls to grains led by the other two
    /// cross one silo-to-silo link.
    /// </summary>
    Silo,

    /// <summary>
    /// In an Orleans client (<c>UseOrleansClient</c>, in this process) connected to the silos' gateways over loopback, as a
    /// deployed front end calls grains: the one silo through its gateway, the replicating silos through every gateway
    /// Orleans's ADO.NET membership lists (the client spreads grains over the gateways, so a call whose gateway does not
    /// host its grain crosses a silo-to-silo link as well).
    /// </summary>
    Client,
}
