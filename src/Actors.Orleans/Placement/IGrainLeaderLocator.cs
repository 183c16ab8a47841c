using Orleans.Runtime;

namespace Actors.Orleans.Placement;

/// <summary>
/// Where an activation of a write-ahead-log grain must go when the grains' logs are partitioned between silos: the silo
/// leading the grain's partition. Registered by <c>AddWriteAheadLogReplication</c> (Actors.Orleans.Clustering); without
/// it the placement director places on the silo the call arrives at.
/// </summary>
/// <remarks>Thread-safe. The answer may be stale by the time the activation runs: the storage calls check leadership again
/// (<see cref="Log.IGrainLogResolver"/>) and refuse when the silo does not lead the partition.</remarks>
public interface IGrainLeaderLocator
{
    /// <summary>The silo, among <paramref name="compatibleSilos"/>, that leads the partition of <paramref name="grainId"/>.</summary>
    /// <exception cref="WriteAheadLogProviderException">No active silo leads the grain's partition now (retry later).</exception>
    Task<SiloAddress> GetLeaderAsync(GrainId grainId, SiloAddress[] compatibleSilos);
}
