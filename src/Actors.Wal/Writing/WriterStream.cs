using Actors.Wal.Index;

namespace Actors.Wal.Writing;

/// <summary>
/// The writer's view of one stream it writes: its id bytes (framed into every record), its state after every record
/// the writer framed (ahead of the published index entry by the groups not yet committed), and the published entry
/// the committer updates.
/// </summary>
/// <remarks>
/// Ownership: the writer (the thread holding the drain) alone reads and writes it; the committer never reads it (a
/// framed request carries <see cref="Hot"/> itself).
/// </remarks>
internal sealed class WriterStream(string id, byte[] idUtf8, HotStream hot, in StreamEntry current)
{
    /// <summary>The stream id.</summary>
    public string Id { get; } = id;

    /// <summary>The stream id in UTF-8 (cached: framed into every record).</summary>
    public byte[] IdUtf8 { get; } = idUtf8;

    /// <summary>The published entry (the committer's).</summary>
    public HotStream Hot { get; } = hot;

    /// <summary>The state after every record the writer framed.</summary>
    public StreamEntry Tentative = current;

    /// <summary>
    /// The newest anchor at or before the latest record framed (docs/wal-format.md, "Record"): what the stream's next
    /// record carries unless it ends a read's walk; <see cref="Format.LogPosition.None"/> when not known (its records
    /// then carry none until the next anchor).
    /// </summary>
    public long Anchor = Format.LogPosition.None;

    /// <summary>
    /// The positions of the records framed after <see cref="Anchor"/>, oldest first (docs/wal-format.md, "Span
    /// positions"): the next anchor carries them when they are all known (exactly
    /// <see cref="Format.RecordHeader.SpanPositions"/> of them). Null until the stream's first record after a known anchor.
    /// </summary>
    public long[]? Span;

    /// <summary>How many of <see cref="Span"/> are known; -1: not known (the anchor was learned, not framed here).</summary>
    public int SpanCount = -1;

    /// <summary>Sets the stream's anchor; <paramref name="spanKnown"/>: the records after it are the ones framed from now on.</summary>
    public void SetAnchor(long anchor, bool spanKnown)
    {
        Anchor = anchor;
        SpanCount = spanKnown && anchor != Format.LogPosition.None ? 0 : -1;
    }

    /// <summary>Takes a record framed after <see cref="Anchor"/> that is not itself an anchor.</summary>
    public void AddToSpan(long position)
    {
        if (SpanCount < 0)
        {
            return;
        }

        if (SpanCount == Format.RecordHeader.SpanPositions)
        {
            SpanCount = -1; // more records than a span holds (the chain index saturated): the next anchor carries none
            return;
        }

        Span ??= new long[Format.RecordHeader.SpanPositions];
        Span[SpanCount++] = position;
    }
}
