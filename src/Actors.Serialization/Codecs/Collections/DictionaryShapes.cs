using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;

namespace Actors.Serialization.Codecs;

/// <summary>The <see cref="PairSequenceShape{TCollection, TKey, TValue}"/>s of the BCL's other dictionaries.</summary>
internal static class DictionaryShapes
{
    public static object SortedDictionary<TKey, TValue>(ICodecProvider provider)
        where TKey : notnull => new PairSequenceCodec<SortedDictionary<TKey, TValue>, TKey, TValue>(provider, new()
    {
        Count = d => d.Count,
        Items = d => d,
        Create = (pairs, comparer) => Fill(new SortedDictionary<TKey, TValue>((IComparer<TKey>?)comparer), pairs),
        Comparer = d => d.Comparer,
        DefaultComparer = Comparer<TKey>.Default,
    });

    public static object SortedList<TKey, TValue>(ICodecProvider provider)
        where TKey : notnull => new PairSequenceCodec<SortedList<TKey, TValue>, TKey, TValue>(provider, new()
    {
        Count = d => d.Count,
        Items = d => d,
        Create = (pairs, comparer) => Fill(new SortedList<TKey, TValue>(pairs.Length, (IComparer<TKey>?)comparer), pairs),
        Comparer = d => d.Comparer,
        DefaultComparer = Comparer<TKey>.Default,
    });

    public static object ConcurrentDictionary<TKey, TValue>(ICodecProvider provider)
        where TKey : notnull => new PairSequenceCodec<ConcurrentDictionary<TKey, TValue>, TKey, TValue>(provider, new()
    {
        Count = d => d.Count,
        Items = d => d.ToArray(),
        Create = (pairs, comparer) => new ConcurrentDictionary<TKey, TValue>(pairs, (IEqualityComparer<TKey>?)comparer),
        Comparer = d => d.Comparer,
        DefaultComparer = EqualityComparer<TKey>.Default,
    });

    public static object ReadOnlyDictionary<TKey, TValue>(ICodecProvider provider)
        where TKey : notnull => new PairSequenceCodec<ReadOnlyDictionary<TKey, TValue>, TKey, TValue>(provider, new()
    {
        Count = d => d.Count,
        Items = d => d,
        Create = (pairs, comparer) => new ReadOnlyDictionary<TKey, TValue>(Fill(new Dictionary<TKey, TValue>(pairs.Length, (IEqualityComparer<TKey>?)comparer), pairs)),
        Comparer = d => Inner<TKey, TValue>.Dictionary(d) is Dictionary<TKey, TValue> inner ? inner.Comparer : null,
        DefaultComparer = EqualityComparer<TKey>.Default,
        Validate = d =>
        {
            if (Inner<TKey, TValue>.Dictionary(d) is not Dictionary<TKey, TValue>)
            {
                throw new SerializerException(
                    $"A ReadOnlyDictionary wrapping a '{Inner<TKey, TValue>.Dictionary(d).GetType().Name}' cannot be serialized: only a wrapped Dictionary's comparer is known.");
            }
        },
    });

    public static object ImmutableDictionary<TKey, TValue>(ICodecProvider provider)
        where TKey : notnull => new PairSequenceCodec<ImmutableDictionary<TKey, TValue>, TKey, TValue>(provider, new()
    {
        Count = d => d.Count,
        Items = d => d,
        Create = (pairs, comparer) => System.Collections.Immutable.ImmutableDictionary.CreateRange((IEqualityComparer<TKey>?)comparer, pairs),
        Comparer = d => d.KeyComparer,
        DefaultComparer = EqualityComparer<TKey>.Default,
        Validate = d => RequireDefaultValueComparer(d.ValueComparer),
        IsImmutable = true,
    });

    public static object ImmutableSortedDictionary<TKey, TValue>(ICodecProvider provider)
        where TKey : notnull => new PairSequenceCodec<ImmutableSortedDictionary<TKey, TValue>, TKey, TValue>(provider, new()
    {
        Count = d => d.Count,
        Items = d => d,
        Create = (pairs, comparer) => System.Collections.Immutable.ImmutableSortedDictionary.CreateRange((IComparer<TKey>?)comparer, pairs),
        Comparer = d => d.KeyComparer,
        DefaultComparer = Comparer<TKey>.Default,
        Validate = d => RequireDefaultValueComparer(d.ValueComparer),
        IsImmutable = true,
    });

    private static TDictionary Fill<TDictionary, TKey, TValue>(TDictionary dictionary, KeyValuePair<TKey, TValue>[] pairs)
        where TDictionary : IDictionary<TKey, TValue>
    {
        foreach (KeyValuePair<TKey, TValue> pair in pairs)
        {
            dictionary.Add(pair.Key, pair.Value);
        }

        return dictionary;
    }

    private static void RequireDefaultValueComparer<TValue>(IEqualityComparer<TValue> comparer)
    {
        if (!ReferenceEquals(comparer, EqualityComparer<TValue>.Default))
        {
            throw new SerializerException(
                $"An immutable dictionary with a custom value comparer ('{comparer.GetType().Name}') cannot be serialized: the comparer would be lost.");
        }
    }

    private static class Inner<TKey, TValue>
        where TKey : notnull
    {
        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Dictionary")]
        public static extern IDictionary<TKey, TValue> Dictionary(ReadOnlyDictionary<TKey, TValue> dictionary);
    }
}
