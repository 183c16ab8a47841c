namespace Actors.Serialization.Codecs;

/// <summary>How <see cref="PairSequenceCodec{TCollection, TKey, TValue}"/> takes a dictionary apart and builds it again.</summary>
internal sealed class PairSequenceShape<TCollection, TKey, TValue>
{
    /// <summary>The number of pairs.</summary>
    public required Func<TCollection, int> Count { get; init; }

    /// <summary>The pairs in wire order.</summary>
    public required Func<TCollection, IEnumerable<KeyValuePair<TKey, TValue>>> Items { get; init; }

    /// <summary>Builds the dictionary from the pairs and the key comparer (null = default).</summary>
    public required Func<KeyValuePair<TKey, TValue>[], object?, TCollection> Create { get; init; }

    /// <summary>The dictionary's key comparer, when it has one.</summary>
    public Func<TCollection, object?>? Comparer { get; init; }

    /// <summary>The comparer that is not written (the default).</summary>
    public object? DefaultComparer { get; init; }

    /// <summary>Throws when the dictionary holds state the layout cannot carry (a custom value comparer).</summary>
    public Action<TCollection>? Validate { get; init; }

    /// <summary>The dictionary cannot change after construction: a copy may share it when keys and values are immutable.</summary>
    public bool IsImmutable { get; init; }
}
