using Actors.Orleans.Codecs;
using Actors.Orleans.Log;

namespace Actors.Orleans.EventSourcing;

/// <summary>What one journaled grain's adaptor works with: its provider's log and codecs, its stream, its class's policies.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Log">The silo's log (its provider prefixes and record limit).</param>
/// <param name="Logs">Where the grain's streams live (<see cref="IGrainLogResolver"/>).</param>
/// <param name="GrainId">The grain.</param>
/// <param name="Codecs">The provider's codecs.</param>
/// <param name="StreamId">The grain's journal stream.</param>
/// <param name="What">"the events of grain X (provider P)", for messages.</param>
/// <param name="Checkpoints">When the grain writes checkpoints.</param>
/// <param name="History">What the log keeps of the grain's checkpointed events.</param>
/// <param name="MaxRecordSizeBytes">The largest record the log accepts (an append of events is one record).</param>
internal sealed record JournalSettings(
    string Provider,
    SiloLog Log,
    IGrainLogResolver Logs,
    global::Orleans.Runtime.GrainId GrainId,
    ValueCodecs Codecs,
    string StreamId,
    string What,
    CheckpointSchedule Checkpoints,
    WriteAheadLogHistory History,
    int MaxRecordSizeBytes)
{
    /// <summary>The log that holds the grain's stream now (see <see cref="IGrainLogResolver"/>).</summary>
    public ValueTask<Actors.Wal.IEventLog> GetLogAsync() => Logs.GetLogAsync(GrainId);
}
