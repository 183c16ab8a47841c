using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Actors.Orleans.Placement;

/// <summary>
/// Places activations of <see cref="WriteAheadLogAttribute"/> grains (<see cref="WriteAheadLogPlacement"/>): on the silo
/// leading the grain's partition when replication is configured (an <see cref="IGrainLeaderLocator"/> is registered),
/// else on the silo the call arrives at when it is active and can host the grain, else on a compatible silo chosen at
/// random. Registered by <c>AddWriteAheadLog</c> only, so that a silo without the log refuses to place such grains.
/// </summary>
/// <remarks>
/// Without replication one silo is what the providers serve (several active silos are refused, <c>SingleSiloGuard</c>),
/// so this is the silo's own.
/// </remarks>
internal sealed class WriteAheadLogPlacementDirector(IServiceProvider services) : IPlacementDirector
{
    private readonly IGrainLeaderLocator? _leaders = services.GetService(typeof(IGrainLeaderLocator)) as IGrainLeaderLocator;

    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SiloAddress[] compatible = context.GetCompatibleSilos(target);
        if (_leaders is not null)
        {
            return _leaders.GetLeaderAsync(target.GrainIdentity, compatible);
        }

        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hint)
        {
            return Task.FromResult(hint);
        }

        if (context.LocalSiloStatus == SiloStatus.Active && Array.IndexOf(compatible, context.LocalSilo) >= 0)
        {
            return Task.FromResult(context.LocalSilo);
        }

        if (compatible.Length == 0)
        {
            throw new OrleansException($"No active silo can host grain type {target.GrainIdentity.Type} (placement {nameof(WriteAheadLogPlacement)}).");
        }

        return Task.FromResult(compatible[Random.Shared.Next(compatible.Length)]);
    }
}
