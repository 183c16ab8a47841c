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
}
