using System.Runtime.CompilerServices;
using Actors.Wal.Format;
using Actors.Wal.Space;

namespace Actors.Wal.Index;

/// <summary>
/// What the index keeps per stream: 48 bytes and no stream id (an idle entry is verified against the record on disk).
/// </summary>
/// <remarks>
/// Besides the read path's head (<see cref="LatestPosition"/>) and versions, the entry carries the stream's
/// <em>live runs</em>: the bytes of its still-needed records per segment, the run of the latest record's segment inline
/// (<see cref="LatestRunBytes"/>) and earlier ones in <see cref="OlderRuns"/> (null for most streams). A record that
/// supersedes everything before it (a checkpoint covering the stream's version, a tombstone, a relocation copy) ends
/// every run, so space accounting costs O(1) per record plus O(runs ended), independent of log age and segment count.
/// Value semantics: <see cref="OlderRuns"/> arrays are never modified after they are published (copy on write), so a
/// copied entry is a consistent snapshot.
/// </remarks>
internal struct StreamEntry
{
    /// <summary>Flag: the stream's latest record is a tombstone.</summary>
    public const uint DeletedFlag = 1;

    /// <summary>Flag: the base (<see cref="BaseVersion"/>) is a tombstone rather than a checkpoint.</summary>
    public const uint BaseIsTombstoneFlag = 2;

    /// <summary>Flag: the stream has a base record (a checkpoint or a tombstone).</summary>
    public const uint HasBaseFlag = 4;

    /// <summary>Flag: the stream's history policy was decided (<see cref="DecideRetention"/>); not persisted.</summary>
    public const uint RetentionDecidedFlag = 8;

    /// <summary>
    /// Flag: the stream's policy keeps none of the events a checkpoint covers although the log retains them
    /// (<see cref="WriteAheadLogOptions.StreamRetention"/> gave <see cref="HistoryRetention.ReclaimAfterCheckpoint"/>): a
    /// checkpoint supersedes as in a log that reclaims. Not persisted: decided again once the id is known.
    /// </summary>
    public const uint ReclaimsCheckpointedEventsFlag = 16;

    /// <summary>
    /// Flag: the stream's own policy (<see cref="WriteAheadLogOptions.StreamRetention"/>) trims what its checkpoints cover by
    /// age or by version count (<see cref="HistoryRetention.KeepFor"/>, <see cref="HistoryRetention.KeepLastVersions"/>), so
    /// a space pass compacts its segments once they are older than <see cref="WriteAheadLogOptions.HistoryTrimAge"/>. Not
    /// persisted: decided again once the id is known.
    /// </summary>
    public const uint TrimsHistoryFlag = 32;

    /// <summary>The largest <see cref="ChainRecords"/> counted (the count saturates there).</summary>
    public const int MaxChainRecords = ushort.MaxValue;

    /// <summary>Where <see cref="ChainRecords"/> sits in <see cref="Flags"/> (bits 16-31).</summary>
    private const int ChainShift = 16;

    /// <summary>The bits of <see cref="Flags"/> below <see cref="ChainRecords"/>.</summary>
    private const uint BelowChain = (1u << ChainShift) - 1;

    /// <summary>The stream id hash; 0 marks an empty slot.</summary>
    public ulong Hash;

    /// <summary>The position of the stream's latest record (the head of its back-pointer chain).</summary>
    public long LatestPosition;

    /// <summary>The stream's highest version; never decreases.</summary>
    public long Version;

    /// <summary>The version covered by the base (checkpoint version or tombstone version), or 0.</summary>
    public long BaseVersion;

    /// <summary>The live bytes of the stream in segments before the latest record's segment, oldest first; null when none.</summary>
    public SegmentRun[]? OlderRuns;

    /// <summary>The live bytes of the stream in the segment of <see cref="LatestPosition"/>.</summary>
    public uint LatestRunBytes;

    /// <summary>
    /// <see cref="DeletedFlag"/>, <see cref="BaseIsTombstoneFlag"/>, <see cref="HasBaseFlag"/> (persisted),
    /// <see cref="RetentionDecidedFlag"/>, <see cref="ReclaimsCheckpointedEventsFlag"/> (in memory); the index may use bits
    /// 8 to 15; bits 16 to 31 hold <see cref="ChainRecords"/>.
    /// </summary>
    public uint Flags;

    /// <summary>True when the latest record is a tombstone.</summary>
    public readonly bool IsDeleted => (Flags & DeletedFlag) != 0;

    /// <summary>True when the stream has a checkpoint or a tombstone as its base.</summary>
    public readonly bool HasBase => (Flags & HasBaseFlag) != 0;

    /// <summary>True when the base is a tombstone.</summary>
    public readonly bool BaseIsTombstone => (Flags & (HasBaseFlag | BaseIsTombstoneFlag)) == (HasBaseFlag | BaseIsTombstoneFlag);

    /// <summary>The checkpoint version as reported to callers (0 when there is none or the base is a tombstone).</summary>
    public readonly long CheckpointVersion => HasBase && !BaseIsTombstone ? BaseVersion : 0;

    /// <summary>The segment of the latest record (0 when the stream has none).</summary>
    public readonly uint LatestSegment => LatestPosition == LogPosition.None ? 0 : LogPosition.Segment(LatestPosition);

    /// <summary>
    /// How many records a read of the stream's latest state walks: its latest record and the ones its back-pointers
    /// lead to, back to the record holding its base (a covering checkpoint, a tombstone) or a relocated copy, which
    /// ends the walk (saturates at <see cref="MaxChainRecords"/>). Kept in <see cref="Flags"/>' upper half, so the entry
    /// stays 48 bytes; in memory only: an entry loaded from a recovery snapshot starts at 0 and counts the records
    /// applied after it. Chain consolidation (<see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/>) reads it.
    /// </summary>
    public readonly int ChainRecords => (int)(Flags >> ChainShift);

    /// <summary>
    /// False only when the stream's policy was decided (<see cref="DecideRetention"/>) and trims nothing by age or version
    /// count (<see cref="TrimsHistoryFlag"/>): an undecided stream (idle since the open, or its policy threw) may trim.
    /// </summary>
    public readonly bool MayTrimHistory => (Flags & RetentionDecidedFlag) == 0 || (Flags & TrimsHistoryFlag) != 0;

    /// <summary>True when a covering checkpoint supersedes the stream's earlier records in a log that retains history.</summary>
    public readonly bool ReclaimsCheckpointedEvents => (Flags & ReclaimsCheckpointedEventsFlag) != 0;

    /// <summary>A new, empty entry.</summary>
    public static StreamEntry CreateNew(ulong hash) => new()
    {
        Hash = hash,
        LatestPosition = LogPosition.None,
    };

    /// <summary>
    /// Decides, once per entry and when the stream's id is known (the entry is created or promoted to the hot tier, by the
    /// writer or by recovery), whether the stream's policy retains the events its checkpoints cover, and caches the answer
    /// in <see cref="Flags"/> for <see cref="Apply"/>: the hot path asks no policy per record.
    /// </summary>
    /// <remarks>
    /// Only a log that retains history (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>) with a
    /// <see cref="WriteAheadLogOptions.StreamRetention"/> asks; a policy whose <see cref="HistoryRetention.RetainsCheckpointedEvents"/>
    /// is false makes the stream's checkpoints supersede what they cover, as in a log that reclaims. The function gives the
    /// same answer for a stream every time (its documented contract), so the writer, recovery and every reopen decide alike
    /// and rebuild the same liveness; the decision is not persisted (an entry loaded from the snapshot decides again). A
    /// function that throws (a broken contract) counts as retaining, the conservative answer (every record stays live), and
    /// is asked again the next time the stream is promoted.
    /// </remarks>
    /// <param name="options">The log's options.</param>
    /// <param name="id">The stream id.</param>
    public void DecideRetention(WriteAheadLogOptions options, string id)
    {
        if ((Flags & RetentionDecidedFlag) != 0)
        {
            return;
        }

        if (!options.RetainCheckpointedEvents || options.StreamRetention is not { } policyOf)
        {
            Flags |= RetentionDecidedFlag;
            return;
        }

        HistoryRetention? policy;
        try
        {
            policy = policyOf(id);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return; // undecided: retains (every record stays live) until asked again
        }

        Flags = (Flags & ~(ReclaimsCheckpointedEventsFlag | TrimsHistoryFlag)) | RetentionDecidedFlag
            | (policy is { RetainsCheckpointedEvents: false } ? ReclaimsCheckpointedEventsFlag : 0)
            | (policy is { Duration: not null } or { Versions: not null } ? TrimsHistoryFlag : 0);
    }

    /// <summary>Calls <paramref name="visit"/> for every live run (segment, bytes), oldest first.</summary>
    public readonly void ForEachRun<TState>(ref TState state, RunVisitor<TState> visit)
    {
        if (OlderRuns is { } older)
        {
            foreach (var run in older)
            {
                visit(ref state, run.SegmentId, run.Bytes);
            }
        }

        if (LatestRunBytes > 0)
        {
            visit(ref state, LatestSegment, LatestRunBytes);
        }
    }

    /// <summary>The stream's live bytes over all its runs (the framed records a read or a copy of it may need).</summary>
    public readonly long LiveBytes
    {
        get
        {
            long bytes = LatestRunBytes;
            if (OlderRuns is { } older)
            {
                foreach (var run in older)
                {
                    bytes += run.Bytes;
                }
            }

            return bytes;
        }
    }

    /// <summary>True when the stream has live bytes in <paramref name="segmentId"/>.</summary>
    public readonly bool HasRunIn(uint segmentId)
    {
        if (LatestRunBytes > 0 && LatestSegment == segmentId)
        {
            return true;
        }

        if (OlderRuns is { } older)
        {
            foreach (var run in older)
            {
                if (run.SegmentId == segmentId)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// True when a record of <paramref name="type"/> at <paramref name="version"/> would end a read's walk (what
    /// <see cref="Apply"/> counts as chain index 1): the writer frames no anchor position into such a record
    /// (docs/wal-format.md, "Anchor positions"). Decided from the entry's state, not from <see cref="ChainRecords"/>, which
    /// an entry loaded from the recovery snapshot starts at 0.
    /// </summary>
    public readonly bool EndsWalk(RecordType type, long version, bool retainEvents) => Classify(type, version, retainEvents).EndsWalk;

    private readonly (bool Supersedes, bool EndsWalk) Classify(RecordType type, long version, bool retainEvents)
    {
        // Does this record supersede every earlier record of the stream? A checkpoint that covers the stream's whole
        // version does (the events before it are needed no more), unless the stream's history is retained (the log
        // retains it and the stream's policy does not reclaim it); a tombstone and a relocation copy (which carries the
        // base and every later event) always do. A checkpoint below the stream's version keeps everything (conservative:
        // the events after it, written before it, stay needed).
        bool retains = retainEvents && (Flags & ReclaimsCheckpointedEventsFlag) == 0;
        bool supersedes = type switch
        {
            RecordType.Checkpoint => LatestPosition == LogPosition.None || (!retains && version >= Version),
            RecordType.Tombstone or RecordType.Relocated => true,
            _ => LatestPosition == LogPosition.None,
        };
        // A read stops at a record that supersedes, at a checkpoint covering the stream's version (even one that supersedes
        // nothing because history is retained: the read needs nothing before it) and at a relocated copy.
        return (supersedes, supersedes || (type == RecordType.Checkpoint && version >= Version));
    }

    /// <summary>
    /// Applies one record of this stream, in log order, to the entry and to <paramref name="space"/>. The writer,
    /// recovery and the tool share this rule, so the index and the live bytes after recovery equal those before a crash.
    /// </summary>
    /// <param name="type">The record type (Events, Checkpoint, Tombstone or Relocated).</param>
    /// <param name="position">The record's position.</param>
    /// <param name="length">The record's length in bytes.</param>
    /// <param name="version">Events: the last event's version; Checkpoint: the covered version; Tombstone: the version at deletion; Relocated: the stream version when copied.</param>
    /// <param name="relocatedBase">Relocated only: the kind and version of the copied base (Events when there is none).</param>
    /// <param name="retainEvents">The log keeps the events checkpoints cover (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>):
    /// a checkpoint supersedes nothing, unless the stream's own policy reclaims them (<see cref="ReclaimsCheckpointedEvents"/>,
    /// decided by <see cref="DecideRetention"/>).</param>
    /// <param name="space">Receives the live-byte changes per segment; null to skip accounting.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(RecordType type, long position, int length, long version, (RecordType Kind, long Version) relocatedBase, bool retainEvents, ISpaceAccount? space)
    {
        var (supersedes, endsWalk) = Classify(type, version, retainEvents);
        int chain = endsWalk ? 1 : Math.Min(ChainRecords + 1, MaxChainRecords);
        uint segment = LogPosition.Segment(position);
        if (supersedes)
        {
            EndRuns(space);
        }
        else if (LatestRunBytes > 0 && LatestSegment != segment)
        {
            var run = new SegmentRun(LatestSegment, LatestRunBytes);
            OlderRuns = OlderRuns is null ? [run] : [.. OlderRuns, run];
            LatestRunBytes = 0;
        }

        LatestRunBytes += (uint)length;
        space?.AddLive(segment, length);
        LatestPosition = position;
        Version = Math.Max(Version, version);
        switch (type)
        {
            case RecordType.Events:
                Flags &= ~DeletedFlag;
                break;
            case RecordType.Checkpoint:
                BaseVersion = version;
                Flags = (Flags & ~(DeletedFlag | BaseIsTombstoneFlag)) | HasBaseFlag;
                break;
            case RecordType.Tombstone:
                BaseVersion = version;
                Flags |= DeletedFlag | BaseIsTombstoneFlag | HasBaseFlag;
                break;
            case RecordType.Relocated:
                bool hasBase = relocatedBase.Kind != RecordType.Events;
                bool tombstone = relocatedBase.Kind == RecordType.Tombstone;
                BaseVersion = hasBase ? relocatedBase.Version : 0;
                Flags &= ~(DeletedFlag | BaseIsTombstoneFlag | HasBaseFlag);
                Flags |= (hasBase ? HasBaseFlag : 0) | (tombstone ? BaseIsTombstoneFlag : 0)
                    | (tombstone && relocatedBase.Version == version ? DeletedFlag : 0);
                break;
            default:
                break;
        }

        Flags = (Flags & BelowChain) | ((uint)chain << ChainShift);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EndRuns(ISpaceAccount? space)
    {
        if (space is not null)
        {
            if (OlderRuns is { } older)
            {
                foreach (var run in older)
                {
                    space.AddLive(run.SegmentId, -run.Bytes);
                }
            }

            if (LatestRunBytes > 0)
            {
                space.AddLive(LatestSegment, -LatestRunBytes);
            }
        }

        OlderRuns = null;
        LatestRunBytes = 0;
    }
}

/// <summary>Visits one live run of a stream.</summary>
internal delegate void RunVisitor<TState>(ref TState state, uint segmentId, long bytes);

/// <summary>The live bytes of one stream in one segment.</summary>
/// <param name="SegmentId">The segment.</param>
/// <param name="Bytes">The bytes of the stream's live records there.</param>
internal readonly record struct SegmentRun(uint SegmentId, uint Bytes);
