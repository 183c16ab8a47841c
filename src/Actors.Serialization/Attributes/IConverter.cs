namespace Actors;

/// <summary>
/// Converts between a type that cannot be annotated for serialization and a surrogate struct that can. Mark the
/// implementation with <see cref="RegisterConverterAttribute"/> and the surrogate with
/// <see cref="GenerateSerializerAttribute"/>.
/// </summary>
/// <typeparam name="TValue">The type carried.</typeparam>
/// <typeparam name="TSurrogate">The serialized stand-in.</typeparam>
/// <remarks>Implementations must be stateless or thread-safe: one instance serves every call.</remarks>
public interface IConverter<TValue, TSurrogate>
    where TSurrogate : struct
{
    /// <summary>Rebuilds the value from its surrogate.</summary>
    TValue ConvertFromSurrogate(in TSurrogate surrogate);

    /// <summary>Captures everything the value needs to be rebuilt.</summary>
    TSurrogate ConvertToSurrogate(in TValue value);
}
