using System.Globalization;

namespace Actors.Runtime;

/// <summary>
/// The identity of a stream (Orleans' <c>StreamId</c>): a namespace plus a key. Streams are virtual: every id names a
/// stream, which exists as soon as someone produces to it or subscribes to it.
/// </summary>
/// <remarks>
/// Keys are kept in the same canonical string form as grain keys (a Guid in <c>N</c> format, an integer in invariant
/// decimal, a string as is), so an implicit subscription activates the grain whose key equals the stream's key.
/// Equality is ordinal on both parts.
/// </remarks>
[GenerateSerializer, Immutable]
public readonly struct StreamId : IEquatable<StreamId>, IComparable<StreamId>
{
    [Id(0)]
    private readonly string? _namespace;

    [Id(1)]
    private readonly string? _key;

    private StreamId(string streamNamespace, string key)
    {
        _namespace = streamNamespace;
        _key = key;
    }

    /// <summary>The stream's namespace (may be empty); implicit subscriptions select streams by it.</summary>
    public string Namespace => _namespace ?? string.Empty;

    /// <summary>The stream's key in canonical string form.</summary>
    public string Key => _key ?? string.Empty;

    /// <summary>A stream id with a Guid key.</summary>
    public static StreamId Create(string streamNamespace, Guid key) => Create(streamNamespace, key.ToString("N"));

    /// <summary>A stream id with an integer key.</summary>
    public static StreamId Create(string streamNamespace, long key) => Create(streamNamespace, key.ToString(CultureInfo.InvariantCulture));

    /// <summary>A stream id with a string key.</summary>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public static StreamId Create(string? streamNamespace, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return new StreamId(streamNamespace ?? string.Empty, key);
    }

    /// <summary>The namespace (Orleans' accessor).</summary>
    public string GetNamespace() => Namespace;

    /// <summary>The key as a string (Orleans' accessor).</summary>
    public string GetKeyAsString() => Key;

    /// <inheritdoc />
    public bool Equals(StreamId other) => string.Equals(Namespace, other.Namespace, StringComparison.Ordinal) && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Namespace), StringComparer.Ordinal.GetHashCode(Key));

    /// <inheritdoc />
    public int CompareTo(StreamId other)
    {
        int byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Key, other.Key);
    }

    /// <summary>Returns <c>namespace/key</c>.</summary>
    public override string ToString() => $"{Namespace}/{Key}";

    /// <summary>Equality.</summary>
    public static bool operator ==(StreamId left, StreamId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(StreamId left, StreamId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;
}
