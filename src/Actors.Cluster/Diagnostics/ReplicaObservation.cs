using Actors.Replication.Wal;

namespace Actors.Cluster.Diagnostics;

/// <summary>One replica this silo holds, as its instruments observe it.</summary>
/// <param name="Partition">The replicated partition.</param>
/// <param name="Status">The replica's published status.</param>
/// <param name="Counters">The replica host's counters since it started.</param>
/// <param name="RestoreFailures">Restores of its materialized log from a checkpoint that failed (each retried) since it started.</param>
/// <param name="CaptureFailures">Captures of its materialized log as a checkpoint that failed (applying went on) since it started.</param>
internal readonly record struct ReplicaObservation(int Partition, ReplicaStatus Status, ReplicaHostCounters Counters, long RestoreFailures, long CaptureFailures);
