using Orleans.Runtime;

namespace Actors.Orleans;

/// <summary>
/// The placement strategy of grain classes marked <see cref="WriteAheadLogAttribute"/>: an activation goes to a silo that
/// runs the write-ahead log (<c>AddWriteAheadLog</c> registers its placement director; today the silo the call arrives
/// at, as Orleans's prefer-local placement does).
/// </summary>
/// <remarks>
/// A silo without <c>AddWriteAheadLog</c> has no director for this strategy, so Orleans refuses to place such a grain
/// ("Could not resolve placement strategy WriteAheadLogPlacement for grain type ..."): the grain never activates on a
/// silo whose default storage would keep its state elsewhere (in memory, say) without a word.
/// </remarks>
public sealed class WriteAheadLogPlacement : PlacementStrategy
{
}
