namespace Actors.Streams;

/// <summary>A <see cref="StreamSequenceToken"/> made of a sequence number and an event index (Orleans' <c>EventSequenceTokenV2</c>).</summary>
[GenerateSerializer, Immutable]
public sealed class EventSequenceToken : StreamSequenceToken
{
    /// <summary>Creates a token.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative number or index.</exception>
    public EventSequenceToken(long sequenceNumber, int eventIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(eventIndex);
        SequenceNumber = sequenceNumber;
        EventIndex = eventIndex;
    }

    /// <inheritdoc />
    [Id(0)]
    public override long SequenceNumber { get; }

    /// <inheritdoc />
    [Id(1)]
    public override int EventIndex { get; }

    /// <inheritdoc />
    public override bool Equals(StreamSequenceToken? other) => other is not null && other.SequenceNumber == SequenceNumber && other.EventIndex == EventIndex;

    /// <inheritdoc />
    public override int CompareTo(StreamSequenceToken? other)
    {
        if (other is null)
        {
            return 1;
        }

        int bySequence = SequenceNumber.CompareTo(other.SequenceNumber);
        return bySequence != 0 ? bySequence : EventIndex.CompareTo(other.EventIndex);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamSequenceToken other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"[{SequenceNumber}, {EventIndex}]";
}
