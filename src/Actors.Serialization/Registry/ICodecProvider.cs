using System.Diagnostics.CodeAnalysis;
using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;

namespace Actors.Serialization;

/// <summary>Finds the codec and copier of a type. Codecs use it to reach the codecs of their members' types.</summary>
/// <remarks>Thread-safe. Results are cached.</remarks>
public interface ICodecProvider
{
    /// <summary>Returns the codec of <typeparamref name="T"/>.</summary>
    /// <exception cref="CodecNotFoundException">The type has no codec.</exception>
    IFieldCodec<T> GetCodec<T>();

    /// <summary>Returns the codec of <paramref name="type"/>.</summary>
    /// <exception cref="CodecNotFoundException">The type has no codec.</exception>
    IFieldCodec GetCodec(Type type);

    /// <summary>Returns the codec of <paramref name="type"/>, or false when it has none.</summary>
    bool TryGetCodec(Type type, [NotNullWhen(true)] out IFieldCodec? codec);

    /// <summary>Returns the codec of the fields a (generated) class declares, for a derived class's codec.</summary>
    /// <exception cref="CodecNotFoundException">The type has no generated codec.</exception>
    IBaseCodec<T> GetBaseCodec<T>()
        where T : class;

    /// <summary>Returns the field serializer of a (generated) struct, for converters' surrogates.</summary>
    /// <exception cref="CodecNotFoundException">The type has no generated codec.</exception>
    IValueSerializer<T> GetValueSerializer<T>()
        where T : struct;

    /// <summary>Returns the copier of <typeparamref name="T"/>.</summary>
    /// <exception cref="CodecNotFoundException">The type has no copier.</exception>
    IDeepCopier<T> GetDeepCopier<T>();

    /// <summary>Returns the copier of <paramref name="type"/>.</summary>
    /// <exception cref="CodecNotFoundException">The type has no copier.</exception>
    IDeepCopier GetDeepCopier(Type type);

    /// <summary>Returns the copier of the fields a (generated) class declares, for a derived class's copier.</summary>
    /// <exception cref="CodecNotFoundException">The type has no generated copier.</exception>
    IBaseCopier<T> GetBaseCopier<T>()
        where T : class;
}
