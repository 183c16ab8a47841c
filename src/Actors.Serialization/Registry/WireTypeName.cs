namespace Actors.Serialization;

/// <summary>How a TypeSpec names a type or generic type definition: a well-known id, or else a name.</summary>
internal readonly record struct WireTypeName(uint WellKnownId, string? Name);
