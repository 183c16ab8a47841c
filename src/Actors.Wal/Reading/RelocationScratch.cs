using Actors.Wal.Format;

namespace Actors.Wal.Reading;

/// <summary>
/// Lists a relocation's read reuses from one stream to the next (<see cref="LogReader.CollectForRelocationAsync"/>), so a
/// pass that copies many streams does not grow fresh ones per stream. What a copy keeps is returned in a list of its own.
/// </summary>
/// <remarks>Ownership: one caller at a time (the maintenance loop, whose space passes and consolidation run in turn).</remarks>
internal sealed class RelocationScratch
{
    /// <summary>The items of the record being walked.</summary>
    public List<RecordItem> Items { get; } = [];

    /// <summary>The events collected so far, newest first.</summary>
    public List<RecordItem> Events { get; } = [];

    /// <summary>Checkpoints kept before the base (a checkpoint deletion's copy), in the copy's order.</summary>
    public List<RecordItem> Older { get; } = [];

    /// <summary>The largest capacity a list keeps across calls (a stream with more events grows it for its own copy only).</summary>
    private const int MaxKeptCapacity = 4096;

    /// <summary>
    /// Empties every list, so that no payload of the last copy stays referenced (their buffers may be large), and drops
    /// the capacity of a list grown past <see cref="MaxKeptCapacity"/>.
    /// </summary>
    public void Clear()
    {
        Empty(Items);
        Empty(Events);
        Empty(Older);
    }

    private static void Empty(List<RecordItem> list)
    {
        list.Clear();
        if (list.Capacity > MaxKeptCapacity)
        {
            list.Capacity = 0;
        }
    }
}
