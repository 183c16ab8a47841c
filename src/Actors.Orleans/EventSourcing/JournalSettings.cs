using Actors.Orleans.Codecs;
using Actors.Orleans.Log;

namespace Actors.Orleans.EventSourcing;

/// <summary>What one journaled grain's adaptor works with: its provider's log and codecs, its stream, its class's policies.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Log">The silo's log.</param>
/// <param name="Codecs">The provider's codecs.</param>
/// <param name="StreamId">The grain's journal stream.</param>
/// <param name="What">"the events of grain X (provider P)", for messages.</param>
/// <param name="Checkpoints">When the grain writes checkpoints.</param>
/// <param name="History">What the log keeps of the grain's checkpointed events.</param>
/// <param name="MaxRecordSizeBytes">The largest record the log accepts (an append of events is one record).</param>
internal sealed record JournalSettings(
    string Provider,
    SiloLog Log,
    ValueCodecs Codecs,
    string StreamId,
    string What,
    CheckpointSchedule Checkpoints,
    WriteAheadLogHistory History,
    int MaxRecordSizeBytes);
