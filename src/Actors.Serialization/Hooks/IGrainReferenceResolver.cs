namespace Actors.Serialization;

/// <summary>
/// Supplied by the runtime (registered with <see cref="SerializerBuilder.UseGrainReferenceResolver"/>): tells the
/// serializer which types are grain references and turns a reference into its identity and back. The serializer
/// itself knows nothing about grains.
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IGrainReferenceResolver
{
    /// <summary>
    /// Whether values of <paramref name="type"/> are grain references: a grain interface (a declared member type) or the
    /// runtime's reference class (a runtime type).
    /// </summary>
    bool IsGrainReferenceType(Type type);

    /// <summary>Returns the identity of <paramref name="reference"/>.</summary>
    GrainReferenceData Describe(object reference);

    /// <summary>
    /// Returns a reference for <paramref name="data"/> usable as <paramref name="declaredType"/> (a grain interface, or
    /// <see cref="object"/> when the member was untyped: then <see cref="GrainReferenceData.Interface"/> decides).
    /// </summary>
    /// <exception cref="SerializerException">The interface is unknown here or the reference cannot be built.</exception>
    object Resolve(GrainReferenceData data, Type declaredType, object? callContext);
}
