using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// Writes and reads the fields one class declares (one layer of an inheritance chain), without a header: a derived
/// class's codec calls its base class's <see cref="IBaseCodec{T}"/> first, then writes EndBase and its own fields.
/// </summary>
public interface IBaseCodec<in T>
    where T : class
{
    /// <summary>Writes the fields of <paramref name="instance"/> declared by <typeparamref name="T"/> and its bases.</summary>
    void Serialize(ref Writer writer, T instance);

    /// <summary>Reads the fields declared by <typeparamref name="T"/> and its bases into <paramref name="instance"/>, up to and including the EndBase or EndObject that ends them.</summary>
    void Deserialize(ref Reader reader, T instance);
}
