using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Inspection;

/// <summary>What a verification learns about one stream: the engine's index entry rebuilt in log order, plus coverage.</summary>
/// <remarks>Owned by one <see cref="VerificationRun"/>, on one thread.</remarks>
internal sealed class StreamFacts
{
    private readonly List<(long From, long To)> _eventRanges = [];
    private StreamEntry _entry;

    /// <summary>Creates the facts of a stream first seen in a record.</summary>
    public StreamFacts(string id, ulong hash)
    {
        Id = id;
        Hash = hash;
        _entry = StreamEntry.CreateNew(hash);
    }

    /// <summary>The stream id.</summary>
    public string Id { get; }

    /// <summary>The stream id hash (as the engine computes it).</summary>
    public ulong Hash { get; }

    /// <summary>The index entry as the engine would hold it after recovery.</summary>
    public StreamEntry Entry => _entry;

    /// <summary>Per segment: the highest event version there and the bytes of this stream's records there.</summary>
    public Dictionary<uint, (long MaxEventVersion, long Bytes)> Segments { get; } = [];

    /// <summary>The highest event version seen.</summary>
    public long MaxEventVersion { get; private set; }

    /// <summary>Valid records of the stream in the log (events batches, checkpoints, tombstones, relocated copies).</summary>
    public long Records { get; private set; }

    /// <summary>Bytes of the stream's records in the log, live or not.</summary>
    public long Bytes { get; private set; }

    /// <summary>When the stream's latest record was appended (its header's timestamp).</summary>
    public DateTimeOffset LastWrite { get; private set; }

    /// <summary>Applies one valid record (in log order) and its decoded items.</summary>
    public void Apply(uint segmentId, long offset, in RecordHeader header, List<RecordItem> items)
    {
        long maxEvent = 0;
        foreach (var item in items)
        {
            if (item.Kind == RecordType.Events)
            {
                maxEvent = Math.Max(maxEvent, item.Version);
                AddEvent(item.Version);
            }
        }

        var relocatedBase = header.Type == RecordType.Relocated ? RecordCodec.RelocatedBase(items) : (RecordType.Events, 0L);
        long version = header.Type == RecordType.Relocated ? header.FirstVersion : header.LastVersion;
        _entry.Apply(header.Type, LogPosition.Create(segmentId, offset), header.Length, version, relocatedBase, retainEvents: false, space: null);
        Records++;
        Bytes += header.Length;
        LastWrite = new DateTimeOffset(Math.Max(LastWrite.UtcTicks, header.TimestampTicks), TimeSpan.Zero);
        Segments.TryGetValue(segmentId, out var s);
        Segments[segmentId] = (Math.Max(s.MaxEventVersion, maxEvent), s.Bytes + header.Length);
        MaxEventVersion = Math.Max(MaxEventVersion, maxEvent);
    }

    /// <summary>True when the engine's space rule says this stream's records in <paramref name="segmentId"/> are still needed.</summary>
    public bool IsLiveIn(uint segmentId) => _entry.HasRunIn(segmentId);

    /// <summary>The version ranges above the base (checkpoint or tombstone) that no scanned record holds.</summary>
    public List<(long From, long To)> MissingEventRanges()
    {
        var missing = new List<(long From, long To)>();
        long baseVersion = _entry.HasBase ? _entry.BaseVersion : 0;
        long next = baseVersion + 1;
        foreach (var (from, to) in _eventRanges.OrderBy(r => r.From))
        {
            if (to < next)
            {
                continue;
            }

            if (from > next)
            {
                missing.Add((next, from - 1));
            }

            next = Math.Max(next, to + 1);
        }

        if (next <= MaxEventVersion)
        {
            missing.Add((next, MaxEventVersion));
        }

        return missing;
    }

    /// <summary>The public, immutable view.</summary>
    public InspectedStream ToInspected()
        => new(Id, _entry.Version, _entry.CheckpointVersion, _entry.IsDeleted, Records, Bytes, [.. Segments.Keys.Order()], LastWrite);

    private void AddEvent(long version)
    {
        if (_eventRanges.Count > 0)
        {
            var last = _eventRanges[^1];
            if (version >= last.From && version <= last.To + 1)
            {
                _eventRanges[^1] = (last.From, Math.Max(last.To, version));
                return;
            }
        }

        _eventRanges.Add((version, version));
    }
}
