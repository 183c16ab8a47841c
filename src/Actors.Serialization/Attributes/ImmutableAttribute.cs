namespace Actors;

/// <summary>
/// Declares that instances of a type (or the value held by a member) are never mutated after construction, so deep
/// copies (in-silo calls, journaled state) pass them by reference instead of copying them.
/// </summary>
/// <remarks>
/// The serializer and the copy rule trust the attribute: mutating such an instance after passing it breaks grain
/// isolation. On a field, property or parameter it marks only that value as shared by reference.
/// </remarks>
[AttributeUsage(
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter,
    Inherited = false)]
public sealed class ImmutableAttribute : Attribute
{
}
