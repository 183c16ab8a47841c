namespace Actors.Serialization;

/// <summary>
/// A Reference names an object this reader has not materialized: the object lies inside a field the reader skipped
/// (a field it does not know), or the reference closes a cycle through a value that is built only after its contents
/// (a tuple, an immutable collection, a converter's surrogate).
/// </summary>
[GenerateSerializer]
public sealed class ReferenceNotFoundException : WireFormatException
{
    /// <summary>Creates the exception.</summary>
    public ReferenceNotFoundException(uint objectId, Type expectedType, long offset)
        : base($"reference to object #{objectId} (expected a '{TypeNames.Display(expectedType)}') that this reader has not materialized: " +
               "it lies inside a field this reader skipped, or closes a cycle through a value built after its contents", offset)
    {
        ObjectId = objectId;
    }

    /// <summary>The object id named by the reference.</summary>
    [Id(0)]
    public uint ObjectId { get; }
}
