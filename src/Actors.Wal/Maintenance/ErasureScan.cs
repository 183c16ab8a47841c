using Actors.Wal.Format;

namespace Actors.Wal.Maintenance;

/// <summary>
/// What one erase or checkpoint deletion removed from a stream, kept until a space pass has searched every segment for
/// copies the stream's back-pointer chain no longer reaches (records a relocation or a reclaimed segment cut off from
/// the chain) and marked the segments holding them.
/// </summary>
/// <param name="Id">The stream id (UTF-8).</param>
/// <param name="EraseToVersion">Events up to this version are removed (0: none).</param>
/// <param name="KeptCheckpointVersion">The version of the checkpoint the rewrite kept as the stream's base (-1: none); with
/// an erase, every other checkpoint of the stream is removed (it holds state built from the erased events).</param>
/// <param name="Checkpoints">Checkpoints these criteria select are removed (null: none).</param>
internal sealed record ErasureScan(byte[] Id, long EraseToVersion, long KeptCheckpointVersion, CheckpointSelectionCriteria? Checkpoints)
{
    /// <summary>True when an item of the stream stored with this kind, version and time is one the rewrite removed.</summary>
    public bool Removes(RecordType kind, long version, long timestampTicks) => kind switch
    {
        RecordType.Events => version <= EraseToVersion,
        RecordType.Checkpoint => Checkpoints?.Matches(version, timestampTicks) == true || (EraseToVersion > 0 && version != KeptCheckpointVersion),
        _ => false,
    };

    /// <summary>True when a stored record of the stream with <paramref name="header"/> holds a removed item (Events and Checkpoint records; Relocated ones need their items).</summary>
    public bool RemovesAnyOf(in RecordHeader header) => header.Type switch
    {
        RecordType.Events => Removes(RecordType.Events, header.FirstVersion, header.TimestampTicks), // the record's lowest version
        RecordType.Checkpoint => Removes(RecordType.Checkpoint, header.FirstVersion, header.TimestampTicks),
        _ => false,
    };
}
