using Actors.Wal.Format;

namespace Actors.Wal.Reading;

/// <summary>
/// The records a forward read visits, newest first as the walk finds them (12 bytes a record: position and length),
/// and the range they serve. Only the oldest records of a long range are kept (between <c>limit</c> and twice as
/// many): the walk must still go down to the range's start, but memory stays bounded.
/// </summary>
/// <param name="from">The first version asked for.</param>
/// <param name="to">The last version served: the stream's version when the plan was made, or the read's end.</param>
/// <param name="limit">The number of records kept at least before newer ones are dropped.</param>
internal sealed class ForwardPlan(long from, long to, int limit)
{
    private readonly List<long> _positions = [];
    private readonly List<int> _lengths = [];

    /// <summary>The first version to yield: the version asked for, or the one after the newest tombstone above it.</summary>
    public long From { get; private set; } = from;

    /// <summary>The last version to yield.</summary>
    public long To { get; } = to;

    /// <summary>The records planned.</summary>
    public int Count => _positions.Count;

    /// <summary>True when newer records of the range were dropped: once these are read, the read plans again.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The first version of the oldest record planned (meaningful when <see cref="Count"/> is above 0).</summary>
    public long OldestFirstVersion { get; private set; } = long.MaxValue;

    /// <summary>The position of planned record <paramref name="index"/> (0: the newest).</summary>
    public long Position(int index) => _positions[index];

    /// <summary>The length of planned record <paramref name="index"/>.</summary>
    public int Length(int index) => _lengths[index];

    /// <summary>Takes the record the walk reached; false when the walk can stop (nothing older is in the range).</summary>
    public bool Take(in RecordHeader header, long position)
    {
        switch (header.Type)
        {
            case RecordType.Events:
                if (header.LastVersion < From)
                {
                    return false;
                }

                if (header.FirstVersion <= To)
                {
                    Add(header, position);
                }

                return header.FirstVersion > From;
            case RecordType.Tombstone:
                // The deleted incarnation's events are out of the range, as ReadEventsAsync leaves them out.
                From = Math.Max(From, header.FirstVersion + 1);
                return false;
            case RecordType.Relocated:
                Add(header, position); // its items are known only once decoded; it starts the chain
                return false;
            case RecordType.Checkpoint:
                return true;
            default:
                throw new System.Diagnostics.UnreachableException($"a {header.Type} record on a stream's chain (the walk reports seals as damage)");
        }
    }

    private void Add(in RecordHeader header, long position)
    {
        if (_positions.Count == 2 * limit)
        {
            // Keep the oldest: the newest records dropped are planned again once these are read.
            _positions.RemoveRange(0, limit);
            _lengths.RemoveRange(0, limit);
            Truncated = true;
        }

        _positions.Add(position);
        _lengths.Add(header.Length);
        OldestFirstVersion = header.Type == RecordType.Events ? header.FirstVersion : 0; // a copy starts the chain: nothing older is missing
    }
}
