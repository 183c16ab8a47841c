using System.Collections;
using System.Collections.Immutable;

namespace Actors.CodeGenerator.Model;

/// <summary>An immutable array compared by its elements, so models built from it cache well in incremental pipelines.</summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> _items;

    public EquatableArray(ImmutableArray<T> items)
    {
        _items = items;
    }

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public T this[int index] => _items[index];

    public bool Equals(EquatableArray<T> other) => AsImmutable().SequenceEqual(other.AsImmutable());

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (T item in AsImmutable())
        {
            hash = (hash * 31) + (item?.GetHashCode() ?? 0);
        }

        return hash;
    }

    public ImmutableArray<T> AsImmutable() => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)AsImmutable()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
