namespace Actors.Serialization;

/// <summary>
/// Turns call arguments and results into bytes and back when they cross a process boundary (the gateway).
/// In-silo calls do not serialize. Pluggable: register your own implementation in the silo's and the client's
/// service collection. The default uses System.Text.Json.
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IGrainSerializer
{
    /// <summary>Serializes <paramref name="value"/> as <paramref name="declaredType"/>.</summary>
    /// <exception cref="GrainSerializationException">The value cannot be serialized.</exception>
    byte[] Serialize(object? value, Type declaredType);

    /// <summary>Deserializes bytes written by <see cref="Serialize"/> for the same <paramref name="declaredType"/>.</summary>
    /// <exception cref="GrainSerializationException">The bytes are not a valid value of the type.</exception>
    object? Deserialize(ReadOnlySpan<byte> data, Type declaredType);
}
