using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Writing;

/// <summary>
/// A relocation (space management, or an erase): copy a stream's live records forward as one Relocated record, unless
/// the stream changed since they were read (then nothing is written and the result is false; the caller retries).
/// </summary>
/// <remarks>Ownership: maintenance fills it; the writer frames it and sets the pipeline fields; the committer applies it.</remarks>
internal sealed class RelocateRequest(string streamId, ulong hash, long expectedLatest, long streamVersion, List<RecordItem> items, int framed, bool forceSync = false) : AwaitedRequest<bool>
{
    /// <inheritdoc />
    public override RequestKind Kind => RequestKind.Relocate;

    /// <inheritdoc />
    public override int FramedBytes => Length;

    /// <summary>The stream id.</summary>
    public string StreamId { get; } = streamId;

    /// <summary>The stream id's hash.</summary>
    public ulong Hash { get; } = hash;

    /// <summary>The stream's latest position when its records were read: the copy is written only if it is still the latest.</summary>
    public long ExpectedLatest { get; } = expectedLatest;

    /// <summary>The stream's version when its records were read.</summary>
    public long StreamVersion { get; } = streamVersion;

    /// <summary>The live items in Relocated-record order (by version, the base after the events it covers).</summary>
    public List<RecordItem> Items { get; } = items;

    /// <summary>The framed length.</summary>
    public int Length { get; } = framed;

    /// <summary>True when the copy must be synced before it completes whatever the sync policy (an erase).</summary>
    public bool ForceSync { get; } = forceSync;

    /// <summary>
    /// The tiers maintenance found the stream idle in, or null (the stream was hot, or the caller did not look): with
    /// <see cref="ReadFromSlot"/>, where the writer looks first for the stream's entry (see <see cref="StreamIndex.TryReadIdleAt"/>).
    /// </summary>
    public IndexTiers? ReadFromTiers { get; init; }

    /// <summary>The stream's idle slot in <see cref="ReadFromTiers"/> (-1 when none).</summary>
    public int ReadFromSlot { get; init; } = -1;

    /// <summary>The kind and version of the copied base (Events when none).</summary>
    public (RecordType Kind, long Version) Base => RecordCodec.RelocatedBase(Items);

    // Writer-filled.

    /// <summary>True when the writer wrote the copy.</summary>
    public bool Written { get; set; }

    /// <summary>The writer's state of the stream, or null when the stream was idle and stays idle (<see cref="IdleTiers"/>).</summary>
    public WriterStream? Stream { get; set; }

    /// <summary>When <see cref="Stream"/> is null: the tiers whose idle slot <see cref="IdleSlot"/> the committer replaces with the copy's entry.</summary>
    public IndexTiers? IdleTiers { get; set; }

    /// <summary>When <see cref="Stream"/> is null: the stream's idle slot in <see cref="IdleTiers"/>.</summary>
    public int IdleSlot { get; set; } = -1;

    /// <summary>The copy's position.</summary>
    public long Position { get; set; }
}
