using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Actors.Serialization.Codecs;

/// <summary>The <see cref="SequenceShape{TCollection, T}"/>s of the BCL's other single-element collections.</summary>
internal static class CollectionShapes
{
    public static object Queue<T>(ICodecProvider provider) => new SequenceCodec<Queue<T>, T>(provider, new()
    {
        Count = q => q.Count,
        Items = q => q,
        Create = (items, _) => new Queue<T>(items),
    });

    // A stack enumerates from the top; it is rebuilt by pushing from the bottom.
    public static object Stack<T>(ICodecProvider provider) => new SequenceCodec<Stack<T>, T>(provider, new()
    {
        Count = s => s.Count,
        Items = s => s,
        Create = (items, _) => new Stack<T>(items.Reverse()),
    });

    public static object SortedSet<T>(ICodecProvider provider) => new SequenceCodec<SortedSet<T>, T>(provider, new()
    {
        Count = s => s.Count,
        Items = s => s,
        Create = (items, comparer) => new SortedSet<T>(items, (IComparer<T>?)comparer),
        Comparer = s => s.Comparer,
        DefaultComparer = Comparer<T>.Default,
    });

    public static object LinkedList<T>(ICodecProvider provider) => new SequenceCodec<LinkedList<T>, T>(provider, new()
    {
        Count = l => l.Count,
        Items = l => l,
        Create = (items, _) => new LinkedList<T>(items),
    });

    public static object ReadOnlyCollection<T>(ICodecProvider provider) => new SequenceCodec<ReadOnlyCollection<T>, T>(provider, new()
    {
        Count = c => c.Count,
        Items = c => c,
        Create = (items, _) => new ReadOnlyCollection<T>(items),
    });

    public static object ImmutableArray<T>(ICodecProvider provider) => new SequenceCodec<ImmutableArray<T>, T>(provider, new()
    {
        Count = a => a.Length,
        Items = a => a,
        Create = (items, _) => ImmutableCollectionsMarshal.AsImmutableArray(items),
        IsDefault = a => a.IsDefault,
        IsImmutable = true,
    });

    public static object ImmutableList<T>(ICodecProvider provider) => new SequenceCodec<ImmutableList<T>, T>(provider, new()
    {
        Count = l => l.Count,
        Items = l => l,
        Create = (items, _) => System.Collections.Immutable.ImmutableList.Create(items),
        IsImmutable = true,
    });

    public static object ImmutableHashSet<T>(ICodecProvider provider) => new SequenceCodec<ImmutableHashSet<T>, T>(provider, new()
    {
        Count = s => s.Count,
        Items = s => s,
        Create = (items, comparer) => System.Collections.Immutable.ImmutableHashSet.Create((IEqualityComparer<T>?)comparer, items),
        Comparer = s => s.KeyComparer,
        DefaultComparer = EqualityComparer<T>.Default,
        IsImmutable = true,
    });

    public static object ImmutableSortedSet<T>(ICodecProvider provider) => new SequenceCodec<ImmutableSortedSet<T>, T>(provider, new()
    {
        Count = s => s.Count,
        Items = s => s,
        Create = (items, comparer) => System.Collections.Immutable.ImmutableSortedSet.Create((IComparer<T>?)comparer, items),
        Comparer = s => s.KeyComparer,
        DefaultComparer = Comparer<T>.Default,
        IsImmutable = true,
    });

    public static object ImmutableQueue<T>(ICodecProvider provider) => new SequenceCodec<ImmutableQueue<T>, T>(provider, new()
    {
        Count = q => q.Count(),
        Items = q => q,
        Create = (items, _) => System.Collections.Immutable.ImmutableQueue.Create(items),
        IsImmutable = true,
    });

    public static object ImmutableStack<T>(ICodecProvider provider) => new SequenceCodec<ImmutableStack<T>, T>(provider, new()
    {
        Count = s => s.Count(),
        Items = s => s,
        Create = (items, _) => System.Collections.Immutable.ImmutableStack.CreateRange(items.Reverse()),
        IsImmutable = true,
    });
}
