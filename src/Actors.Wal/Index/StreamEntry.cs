using Actors.Wal.Format;

namespace Actors.Wal.Index;

/// <summary>
/// What the index keeps per stream (48 bytes, no stream id: the id is kept only for streams touched since the last
/// demotion, next to the entry in the index's hot table; idle entries are verified against the record on disk).
/// </summary>
internal struct StreamEntry
{
    /// <summary>Flag: the stream's latest record is a tombstone.</summary>
    public const uint DeletedFlag = 1;

    /// <summary>Flag: the base record (<see cref="BasePosition"/>) is a tombstone rather than a checkpoint.</summary>
    public const uint BaseIsTombstoneFlag = 2;

    /// <summary>The stream id hash; 0 marks an empty slot.</summary>
    public ulong Hash;

    /// <summary>The position of the stream's latest record (the head of its back-pointer chain).</summary>
    public long LatestPosition;

    /// <summary>The position of the record holding the latest checkpoint or tombstone, or <see cref="LogPosition.None"/>.</summary>
    public long BasePosition;

    /// <summary>The stream's highest version; never decreases.</summary>
    public long Version;

    /// <summary>The version covered by the base (checkpoint version or tombstone version), or 0.</summary>
    public long BaseVersion;

    /// <summary>The oldest segment that may still hold a live record of this stream (space accounting).</summary>
    public uint ChainMinSegment;

    /// <summary><see cref="DeletedFlag"/> and <see cref="BaseIsTombstoneFlag"/>.</summary>
    public uint Flags;

    /// <summary>True when the latest record is a tombstone.</summary>
    public readonly bool IsDeleted => (Flags & DeletedFlag) != 0;

    /// <summary>The checkpoint version as reported to callers (0 when the base is a tombstone).</summary>
    public readonly long CheckpointVersion => BasePosition == LogPosition.None || (Flags & BaseIsTombstoneFlag) != 0 ? 0 : BaseVersion;

    /// <summary>A new, empty entry.</summary>
    public static StreamEntry CreateNew(ulong hash) => new()
    {
        Hash = hash,
        LatestPosition = LogPosition.None,
        BasePosition = LogPosition.None,
        ChainMinSegment = uint.MaxValue,
    };

    /// <summary>
    /// Applies one record of this stream, in log order. The writer and recovery share this rule so the index after
    /// recovery equals the index before the crash. With <paramref name="retainEvents"/> (the log's
    /// <c>RetainCheckpointedEvents</c>) a checkpoint does not supersede the events it covers: the chain keeps its oldest
    /// segment.
    /// </summary>
    public void Apply(RecordType type, long position, long version, bool relocatedHasBase, bool relocatedBaseIsTombstone, long relocatedBaseVersion, bool retainEvents = false)
    {
        uint segment = LogPosition.Segment(position);
        switch (type)
        {
            case RecordType.Events:
                if (LatestPosition == LogPosition.None)
                {
                    ChainMinSegment = segment;
                }

                Version = Math.Max(Version, version);
                LatestPosition = position;
                Flags &= ~DeletedFlag;
                break;
            case RecordType.Checkpoint:
                if ((version >= Version && !retainEvents) || LatestPosition == LogPosition.None)
                {
                    ChainMinSegment = segment;
                }

                LatestPosition = position;
                BasePosition = position;
                BaseVersion = version;
                Version = Math.Max(Version, version);
                Flags = 0;
                break;
            case RecordType.Tombstone:
                ChainMinSegment = segment;
                LatestPosition = position;
                BasePosition = position;
                BaseVersion = version;
                Version = Math.Max(Version, version);
                Flags = DeletedFlag | BaseIsTombstoneFlag;
                break;
            case RecordType.Relocated:
                ChainMinSegment = segment;
                LatestPosition = position;
                BasePosition = relocatedHasBase ? position : LogPosition.None;
                BaseVersion = relocatedHasBase ? relocatedBaseVersion : 0;
                Version = Math.Max(Version, version);
                Flags = relocatedHasBase && relocatedBaseIsTombstone ? BaseIsTombstoneFlag : 0;
                if (relocatedHasBase && relocatedBaseIsTombstone && relocatedBaseVersion == version)
                {
                    Flags |= DeletedFlag;
                }

                break;
            default:
                break;
        }
    }
}
