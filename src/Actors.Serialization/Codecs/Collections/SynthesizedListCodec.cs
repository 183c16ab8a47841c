using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs.Collections;

/// <summary>
/// The codec and copier of the read-only lists the C# compiler synthesizes for a collection expression whose target is
/// an interface (<c>IReadOnlyList&lt;int&gt; x = [1, 2]</c> builds an internal <c>&lt;&gt;z__ReadOnlyArray&lt;int&gt;</c>). Such a
/// type has no name another process could resolve, so the value travels as a <see cref="ReadOnlyCollection{T}"/> of the
/// same items (it implements the same read-only list interfaces) and is copied to one.
/// </summary>
internal sealed class SynthesizedListCodec<TList, T>(ICodecProvider provider) : IFieldCodec<TList>, IDeepCopier
    where TList : IList<T>
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TList value)
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
            return;
        }

        provider.GetCodec<ReadOnlyCollection<T>>().WriteField(ref writer, fieldIdDelta, expectedType, new ReadOnlyCollection<T>([.. value]));
    }

    public TList ReadValue(ref Reader reader, Field field) =>
        throw reader.Error($"the compiler-synthesized type '{TypeNames.Display(typeof(TList))}' (it is never named on the wire)");

    // Not an IDeepCopier<TList>: the copy is a ReadOnlyCollection<T>, which only a slot typed by an interface can hold
    // (the only slot such a value can be in, since no code can name TList).
    public object? DeepCopy(object? input, CopyContext context) => input is null
        ? null
        : provider.GetDeepCopier<ReadOnlyCollection<T>>().DeepCopy(new ReadOnlyCollection<T>([.. (TList)input]), context);
}

/// <summary>Recognizes the lists <see cref="SynthesizedListCodec{TList, T}"/> handles.</summary>
internal static class SynthesizedLists
{
    /// <summary>Whether <paramref name="type"/> is a list the compiler synthesized for a collection expression.</summary>
    public static bool IsSynthesized(Type type, out Type? elementType)
    {
        elementType = null;
        if (!type.IsConstructedGenericType || type.Namespace is not null || !type.Name.StartsWith("<>z__ReadOnly", StringComparison.Ordinal)
            || !type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            return false;
        }

        elementType = type.GetInterfaces().FirstOrDefault(i => i.IsConstructedGenericType && i.GetGenericTypeDefinition() == typeof(IList<>))?.GenericTypeArguments[0];
        return elementType is not null;
    }
}
