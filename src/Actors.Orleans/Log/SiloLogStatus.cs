namespace Actors.Orleans.Log;

/// <summary>A snapshot of the silo's log for health checks and dashboards.</summary>
/// <param name="State">Where the log is in its life.</param>
/// <param name="Directory">The log's directory.</param>
/// <param name="Description">One line: what the log is doing, or why it cannot serve.</param>
/// <param name="Streams">Streams in the log (0 unless open).</param>
/// <param name="DurableLsn">The last log sequence number known durable (0 unless open).</param>
/// <param name="OpenDuration">How long opening (recovery) took.</param>
public sealed record SiloLogStatus(SiloLogState State, string Directory, string Description, long Streams, long DurableLsn, TimeSpan OpenDuration);
