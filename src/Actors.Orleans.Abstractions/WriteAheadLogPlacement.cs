using Orleans.Placement;
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
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">
    /// The grain class also has another placement attribute (its own or inherited, <c>[StatelessWorker]</c> included):
    /// Orleans would keep whichever it saw last, so the class could lose the log's placement and its refusal without
    /// the log, or silently stop being what the other attribute says.
    /// </exception>
    public override void PopulateGrainProperties(IServiceProvider services, Type grainClass, GrainType grainType, Dictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        string[] others = [.. grainClass.GetCustomAttributes(typeof(PlacementAttribute), inherit: true)
            .Where(attribute => attribute is not WriteAheadLogAttribute)
            .Select(attribute => attribute.GetType().Name)];
        if (others.Length > 0)
        {
            throw new InvalidOperationException(
                $"Grain class {grainClass.FullName} has [WriteAheadLog], which is its placement, and also {string.Join(", ", others)}: a grain class has one placement. Remove one of them.");
        }

        base.PopulateGrainProperties(services, grainClass, grainType, properties);
    }
}
