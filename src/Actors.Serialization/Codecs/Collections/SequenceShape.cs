namespace Actors.Serialization.Codecs;

/// <summary>How <see cref="SequenceCodec{TCollection, T}"/> takes a collection apart and builds it again.</summary>
internal sealed class SequenceShape<TCollection, T>
{
    /// <summary>The number of elements.</summary>
    public required Func<TCollection, int> Count { get; init; }

    /// <summary>The elements in wire order.</summary>
    public required Func<TCollection, IEnumerable<T>> Items { get; init; }

    /// <summary>Builds the collection from the elements in wire order and the comparer (null = default).</summary>
    public required Func<T[], object?, TCollection> Create { get; init; }

    /// <summary>The collection's comparer, when it has one.</summary>
    public Func<TCollection, object?>? Comparer { get; init; }

    /// <summary>The comparer that is not written (the default).</summary>
    public object? DefaultComparer { get; init; }

    /// <summary>A value that is written as Null (a default <c>ImmutableArray</c>).</summary>
    public Func<TCollection, bool>? IsDefault { get; init; }

    /// <summary>The collection cannot change after construction: a copy may share it when its elements are immutable.</summary>
    public bool IsImmutable { get; init; }
}
