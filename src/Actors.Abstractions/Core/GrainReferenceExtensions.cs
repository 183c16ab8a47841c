using Actors.Invocation;

namespace Actors;

/// <summary>Identity helpers that work on grain references and on grain instances.</summary>
public static class GrainReferenceExtensions
{
    /// <summary>The grain id behind a reference or a grain instance.</summary>
    /// <remarks>
    /// For a reference created by a client, the type half is provisional (derived from the interface, see
    /// <see cref="GrainTypeNames.ForInterface"/>); inside a silo it is the grain class's type name.
    /// </remarks>
    /// <exception cref="ArgumentException">The object is neither a reference nor a runtime-created grain.</exception>
    public static GrainId GetGrainId(this IGrain grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return grain switch
        {
            IGrainReference reference => reference.GrainId,
            Grain instance => instance.GrainId,
            _ => throw new ArgumentException($"'{grain.GetType().FullName}' is neither a grain reference nor a grain.", nameof(grain)),
        };
    }
}
