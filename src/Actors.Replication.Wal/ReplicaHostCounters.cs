namespace Actors.Replication.Wal;

/// <summary>
/// What a <see cref="ReplicaHost"/> has done since it started, counted exactly (not sampled): the deterministic evidence
/// of where replication's cost goes (entries per acknowledged write, fsyncs per entry, messages per entry).
/// </summary>
/// <param name="AppendsProposed">Calls of <see cref="ReplicaHost.AppendAsync"/> (each proposes one entry when this replica leads).</param>
/// <param name="AppendsAcknowledged">Appends acknowledged to their callers (durable on every in-sync replica).</param>
/// <param name="EntriesWritten">Entries written to this replica's log: its own appends as leader, the leader's entries as follower.</param>
/// <param name="Syncs">fsyncs of this replica's log (one per burst of work of the driver loop that wrote something).</param>
/// <param name="Bursts">Bursts of work of the driver loop (each runs everything queued, then syncs once when needed).</param>
/// <param name="MessagesSent">Protocol messages handed to the transport.</param>
/// <param name="MessagesReceived">Protocol messages delivered to this replica.</param>
/// <param name="EntriesSent">Entries carried by the append requests this replica sent (as leader; resends included).</param>
/// <param name="CheckpointsWritten">Checkpoints written durably to this replica's log (<see cref="ReplicaHost.CompactAsync"/>).</param>
/// <param name="SegmentsDeleted">Segment files deleted below a durable checkpoint.</param>
/// <param name="CheckpointsInstalled">Checkpoints taken from a leader that replaced this replica's log.</param>
/// <param name="CheckpointChunksSent">Chunks of checkpoints sent to followers that needed deleted entries (resends included).</param>
/// <param name="CheckpointTransfersRefused">Reassembled checkpoints refused because their state failed its checksum.</param>
/// <param name="EntriesWrittenAsLeader">The part of <paramref name="EntriesWritten"/> written while this replica led (its role when it wrote them).</param>
/// <param name="SyncsAsLeader">The part of <paramref name="Syncs"/> made while this replica led (its role when it synced).</param>
/// <param name="HandOversStarted">Hand-overs of this replica's leadership started (<see cref="ReplicaHost.HandOverAsync"/>,
/// each attempt of <see cref="ReplicaHost.HandOverWithinAsync"/>).</param>
public readonly record struct ReplicaHostCounters(
    long AppendsProposed,
    long AppendsAcknowledged,
    long EntriesWritten,
    long Syncs,
    long Bursts,
    long MessagesSent,
    long MessagesReceived,
    long EntriesSent,
    long CheckpointsWritten = 0,
    long SegmentsDeleted = 0,
    long CheckpointsInstalled = 0,
    long CheckpointChunksSent = 0,
    long CheckpointTransfersRefused = 0,
    long EntriesWrittenAsLeader = 0,
    long SyncsAsLeader = 0,
    long HandOversStarted = 0);
