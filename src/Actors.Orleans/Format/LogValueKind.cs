namespace Actors.Orleans.Format;

/// <summary>What a <see cref="LogValueRecord"/> holds.</summary>
public enum LogValueKind : byte
{
    /// <summary>The full value of one grain state (<c>IGrainStorage.WriteStateAsync</c>).</summary>
    State = 1,

    /// <summary>A grain state was cleared (<c>IGrainStorage.ClearStateAsync</c>); no payload.</summary>
    ClearedState = 2,

    /// <summary>One event of a journaled grain.</summary>
    Event = 3,

    /// <summary>A journaled grain's confirmed state at a version (the payload of a checkpoint record).</summary>
    Snapshot = 4,

    /// <summary>
    /// A journaled grain's log was cleared (<c>ClearLogAsync</c>): the checkpoint record at the stream version in
    /// <see cref="LogValueRecord.Origin"/>, where the grain's version 0 and initial state begin again; no payload.
    /// </summary>
    JournalReset = 5,
}
