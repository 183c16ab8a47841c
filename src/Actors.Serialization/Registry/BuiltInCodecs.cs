using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Numerics;
using System.Reflection;
using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;
using Actors.Serialization.Codecs.Collections;

namespace Actors.Serialization;

/// <summary>The codecs (each also a copier, except scalars) the serializer has for BCL types.</summary>
internal static class BuiltInCodecs
{
    private static readonly Dictionary<Type, IFieldCodec> Scalars = new()
    {
        [typeof(bool)] = ScalarCodec<bool, BooleanFormat>.Instance,
        [typeof(byte)] = ScalarCodec<byte, ByteFormat>.Instance,
        [typeof(sbyte)] = ScalarCodec<sbyte, SByteFormat>.Instance,
        [typeof(short)] = ScalarCodec<short, Int16Format>.Instance,
        [typeof(ushort)] = ScalarCodec<ushort, UInt16Format>.Instance,
        [typeof(int)] = ScalarCodec<int, Int32Format>.Instance,
        [typeof(uint)] = ScalarCodec<uint, UInt32Format>.Instance,
        [typeof(long)] = ScalarCodec<long, Int64Format>.Instance,
        [typeof(ulong)] = ScalarCodec<ulong, UInt64Format>.Instance,
        [typeof(nint)] = ScalarCodec<nint, IntPtrFormat>.Instance,
        [typeof(nuint)] = ScalarCodec<nuint, UIntPtrFormat>.Instance,
        [typeof(char)] = ScalarCodec<char, CharFormat>.Instance,
        [typeof(float)] = ScalarCodec<float, SingleFormat>.Instance,
        [typeof(double)] = ScalarCodec<double, DoubleFormat>.Instance,
        [typeof(Half)] = ScalarCodec<Half, HalfFormat>.Instance,
        [typeof(decimal)] = ScalarCodec<decimal, DecimalFormat>.Instance,
        [typeof(Int128)] = ScalarCodec<Int128, Int128Format>.Instance,
        [typeof(UInt128)] = ScalarCodec<UInt128, UInt128Format>.Instance,
        [typeof(BigInteger)] = ScalarCodec<BigInteger, BigIntegerFormat>.Instance,
        [typeof(Guid)] = ScalarCodec<Guid, GuidFormat>.Instance,
        [typeof(DateTime)] = ScalarCodec<DateTime, DateTimeFormat>.Instance,
        [typeof(DateTimeOffset)] = ScalarCodec<DateTimeOffset, DateTimeOffsetFormat>.Instance,
        [typeof(TimeSpan)] = ScalarCodec<TimeSpan, TimeSpanFormat>.Instance,
        [typeof(DateOnly)] = ScalarCodec<DateOnly, DateOnlyFormat>.Instance,
        [typeof(TimeOnly)] = ScalarCodec<TimeOnly, TimeOnlyFormat>.Instance,
        [typeof(string)] = ScalarCodec<string, StringFormat>.Instance,
        [typeof(byte[])] = ScalarCodec<byte[], ByteArrayFormat>.Instance,
        [typeof(ReadOnlyMemory<byte>)] = ScalarCodec<ReadOnlyMemory<byte>, ReadOnlyMemoryOfByteFormat>.Instance,
        [typeof(Memory<byte>)] = ScalarCodec<Memory<byte>, MemoryOfByteFormat>.Instance,
        [typeof(Uri)] = ScalarCodec<Uri, UriStringFormat>.Instance,
        [typeof(Version)] = ScalarCodec<Version, VersionFormat>.Instance,
        [typeof(object)] = ObjectCodec.Instance,
    };

    private static readonly Dictionary<Type, Type> GenericCodecs = new()
    {
        [typeof(Nullable<>)] = typeof(NullableCodec<>),
        [typeof(List<>)] = typeof(ListCodec<>),
        [typeof(Dictionary<,>)] = typeof(DictionaryCodec<,>),
        [typeof(HashSet<>)] = typeof(HashSetCodec<>),
        [typeof(KeyValuePair<,>)] = typeof(KeyValuePairCodec<,>),
    };

    private static readonly Dictionary<Type, string> ShapeFactories = new()
    {
        [typeof(Queue<>)] = nameof(CollectionShapes.Queue),
        [typeof(Stack<>)] = nameof(CollectionShapes.Stack),
        [typeof(SortedSet<>)] = nameof(CollectionShapes.SortedSet),
        [typeof(LinkedList<>)] = nameof(CollectionShapes.LinkedList),
        [typeof(ReadOnlyCollection<>)] = nameof(CollectionShapes.ReadOnlyCollection),
        [typeof(ImmutableArray<>)] = nameof(CollectionShapes.ImmutableArray),
        [typeof(ImmutableList<>)] = nameof(CollectionShapes.ImmutableList),
        [typeof(ImmutableHashSet<>)] = nameof(CollectionShapes.ImmutableHashSet),
        [typeof(ImmutableSortedSet<>)] = nameof(CollectionShapes.ImmutableSortedSet),
        [typeof(ImmutableQueue<>)] = nameof(CollectionShapes.ImmutableQueue),
        [typeof(ImmutableStack<>)] = nameof(CollectionShapes.ImmutableStack),
        [typeof(SortedDictionary<,>)] = nameof(DictionaryShapes.SortedDictionary),
        [typeof(SortedList<,>)] = nameof(DictionaryShapes.SortedList),
        [typeof(ConcurrentDictionary<,>)] = nameof(DictionaryShapes.ConcurrentDictionary),
        [typeof(ReadOnlyDictionary<,>)] = nameof(DictionaryShapes.ReadOnlyDictionary),
        [typeof(ImmutableDictionary<,>)] = nameof(DictionaryShapes.ImmutableDictionary),
        [typeof(ImmutableSortedDictionary<,>)] = nameof(DictionaryShapes.ImmutableSortedDictionary),
    };

    /// <summary>Returns the built-in codec of <paramref name="type"/>, or null.</summary>
    public static IFieldCodec? CreateCodec(Type type, CodecProvider provider)
    {
        if (Scalars.TryGetValue(type, out IFieldCodec? scalar))
        {
            return scalar;
        }

        if (type.IsEnum)
        {
            return (IFieldCodec)Instantiate(typeof(EnumCodec<>).MakeGenericType(type), provider);
        }

        if (type.IsArray)
        {
            return (IFieldCodec?)CreateArray(type, provider);
        }

        if (type == typeof(CancellationToken))
        {
            return new CancellationTokenCodec(provider.CancellationTokens);
        }

        if (typeof(Type).IsAssignableFrom(type))
        {
            return new TypeCodec(provider);
        }

        return (IFieldCodec?)CreateGeneric(type, provider);
    }

    /// <summary>Returns the built-in copier of a type that is not shallow-copyable, or null.</summary>
    public static IDeepCopier? CreateCopier(Type type, CodecProvider provider)
    {
        if (type == typeof(byte[]))
        {
            return ByteBufferCopier.Array;
        }

        if (type == typeof(Memory<byte>))
        {
            return ByteBufferCopier.Memory;
        }

        if (type == typeof(ReadOnlyMemory<byte>))
        {
            return ByteBufferCopier.ReadOnlyMemory;
        }

        if (type == typeof(object))
        {
            return ObjectCodec.Instance;
        }

        if (typeof(Type).IsAssignableFrom(type))
        {
            return new TypeCodec(provider);
        }

        return (IDeepCopier?)(type.IsArray ? CreateArray(type, provider) : CreateGeneric(type, provider));
    }

    private static object? CreateArray(Type type, CodecProvider provider) => type.IsSZArray
        ? Instantiate(typeof(ArrayCodec<>).MakeGenericType(type.GetElementType()!), provider)
        : Instantiate(typeof(MultiDimensionalArrayCodec<,>).MakeGenericType(type, type.GetElementType()!), provider);

    private static object? CreateGeneric(Type type, CodecProvider provider)
    {
        if (!type.IsConstructedGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        Type[] arguments = type.GenericTypeArguments;
        if (SynthesizedLists.IsSynthesized(type, out Type? element))
        {
            return Instantiate(typeof(SynthesizedListCodec<,>).MakeGenericType(type, element!), provider);
        }

        if (TupleLayout.IsTuple(type))
        {
            return Instantiate(typeof(TupleCodec<>).MakeGenericType(type), provider);
        }

        if (GenericCodecs.TryGetValue(definition, out Type? codec))
        {
            return Instantiate(codec.MakeGenericType(arguments), provider);
        }

        if (ShapeFactories.TryGetValue(definition, out string? factory))
        {
            Type owner = arguments.Length == 1 ? typeof(CollectionShapes) : typeof(DictionaryShapes);
            MethodInfo method = owner.GetMethod(factory, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(arguments);
            return Invoke(method, provider);
        }

        return null;
    }

    /// <summary>Creates a codec or copier from its type: with an <see cref="ICodecProvider"/> when it takes one, else parameterless.</summary>
    public static object Instantiate(Type implementation, ICodecProvider provider)
    {
        try
        {
            return implementation.GetConstructor([typeof(ICodecProvider)]) is { } withProvider
                ? withProvider.Invoke([provider])
                : Activator.CreateInstance(implementation, nonPublic: true)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is SerializerException inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }

    private static object Invoke(MethodInfo method, ICodecProvider provider)
    {
        try
        {
            return method.Invoke(null, [provider])!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is SerializerException inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }
}
