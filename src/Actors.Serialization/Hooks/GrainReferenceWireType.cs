namespace Actors.Serialization.Hooks;

/// <summary>
/// Stands for "a grain reference" in a TypeSpec (well-known id <see cref="WellKnownTypeIds.GrainReference"/>): a grain
/// reference is written with this marker rather than the runtime's reference class, which the peer does not share.
/// Never instantiated.
/// </summary>
public sealed class GrainReferenceWireType
{
    private GrainReferenceWireType()
    {
    }
}
