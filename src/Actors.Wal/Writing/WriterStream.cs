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
}
