namespace Actors;

/// <summary>
/// Declares that instances of a type are never mutated after construction, so in-silo calls pass them by reference
/// instead of deep-copying them (see the copy rule in docs/architecture.md).
/// </summary>
/// <remarks>The runtime trusts the attribute: mutating such an instance after passing it breaks grain isolation.</remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class ImmutableAttribute : Attribute
{
}
