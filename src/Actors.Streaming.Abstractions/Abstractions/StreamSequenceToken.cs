namespace Actors.Streams;

/// <summary>
/// The position of an event in its stream (Orleans' <c>StreamSequenceToken</c>): delivered with every event, used to
/// deduplicate (delivery is at least once) and to rewind a subscription (<c>SubscribeAsync(observer, token)</c>).
/// </summary>
/// <remarks>Tokens of one stream are totally ordered: a later event always has a greater token.</remarks>
[GenerateSerializer]
public abstract class StreamSequenceToken : IEquatable<StreamSequenceToken>, IComparable<StreamSequenceToken>
{
    /// <summary>The event's sequence number in its stream (the write-ahead log's stream version, from 1).</summary>
    public abstract long SequenceNumber { get; }

    /// <summary>The event's index within its sequence number (0 for every event of the providers here).</summary>
    public abstract int EventIndex { get; }

    /// <inheritdoc />
    public abstract bool Equals(StreamSequenceToken? other);

    /// <inheritdoc />
    public abstract int CompareTo(StreamSequenceToken? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamSequenceToken other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SequenceNumber, EventIndex);

    /// <summary>Whether this token is after <paramref name="other"/>.</summary>
    public bool Newer(StreamSequenceToken other) => CompareTo(other) > 0;

    /// <summary>Whether this token is before <paramref name="other"/>.</summary>
    public bool Older(StreamSequenceToken other) => CompareTo(other) < 0;
}
