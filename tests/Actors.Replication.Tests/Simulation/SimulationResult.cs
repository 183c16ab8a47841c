namespace Actors.Replication.Tests.Simulation;

/// <summary>The outcome of one simulated run.</summary>
/// <param name="Seed">The seed; the same seed and settings replay the same run exactly.</param>
/// <param name="Violation">What failed, or null.</param>
/// <param name="TraceHash">A hash over every event the run processed (time, kind, replica, content): equal hashes mean equal runs.</param>
/// <param name="Events">Events processed.</param>
/// <param name="Acknowledged">Appends acknowledged to the client.</param>
/// <param name="LeaderChanges">Epochs that got a leader beyond the first.</param>
/// <param name="Crashes">Replica crashes injected.</param>
/// <param name="PrefixDeletions">Checkpoints made durable whose entries a replica then deleted.</param>
/// <param name="CheckpointInstalls">Transferred checkpoints a follower took in place of its log.</param>
/// <param name="Trace">The event log when tracing was asked for.</param>
/// <param name="ReadsServed">Client reads a leader served under its read lease.</param>
/// <param name="Traffic">The messages the replicas sent.</param>
/// <param name="EndOffset">The end offset of the store's leader's log when the run ended (every entry ever kept).</param>
/// <param name="HandOvers">Hand-overs a leader started (<c>Replica.HandOver</c>).</param>
/// <param name="HandOversCompleted">Of those, the ones whose target led the next epoch.</param>
/// <param name="ReplicaSetChanges">Replica-set changes a leader proposed (<c>Replica.ChangeReplicas</c>, <c>Replica.RemoveFollower</c>).</param>
/// <param name="InSyncRemovals">Of those, removals of a follower in the in-sync set (<c>Replica.RemoveFollower</c>: a move's last step).</param>
/// <param name="Retirements">Replicas stopped with their disk wiped because the store no longer named them (<see cref="SimulationSettings.RetireRemoved"/>).</param>
/// <param name="RetiredReAdded">Of those, the ones the store named again and that started empty.</param>
public sealed record SimulationResult(
    long Seed,
    string? Violation,
    ulong TraceHash,
    long Events,
    int Acknowledged,
    int LeaderChanges,
    int Crashes,
    int PrefixDeletions,
    int CheckpointInstalls,
    IReadOnlyList<string>? Trace,
    int ReadsServed = 0,
    ReplicationTraffic? Traffic = null,
    long EndOffset = 0,
    int HandOvers = 0,
    int HandOversCompleted = 0,
    int ReplicaSetChanges = 0,
    int InSyncRemovals = 0,
    int Retirements = 0,
    int RetiredReAdded = 0)
{
    /// <summary>Whether every invariant held.</summary>
    public bool Passed => Violation is null;

    /// <inheritdoc />
    public override string ToString() => Passed
        ? $"seed {Seed}: ok ({Events} events, {Acknowledged} acknowledged, {ReadsServed} reads served, {LeaderChanges} leader changes, {Crashes} crashes, {PrefixDeletions} prefix deletions, {CheckpointInstalls} checkpoint installs, {HandOversCompleted} of {HandOvers} hand-overs completed, {ReplicaSetChanges} replica-set changes, {InSyncRemovals} in-sync removals, {Retirements} retirements, {RetiredReAdded} re-added empty)"
        : $"seed {Seed}: VIOLATION {Violation}\n  replay: REPLICATION_SIM_SEED={Seed} REPLICATION_SIM_TRACE=1 dotnet test tests/Actors.Replication.Tests --filter \"FullyQualifiedName~ReplaySeedFromEnvironment\"";
}
