namespace Actors.Serialization;

/// <summary>The identity of a grain reference as it crosses the wire.</summary>
/// <param name="GrainType">The grain type name.</param>
/// <param name="Key">The grain key in canonical string form.</param>
/// <param name="Interface">The grain interface's stable name (its alias or full name).</param>
public readonly record struct GrainReferenceData(string GrainType, string Key, string Interface);
