using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// A lifecycle participant on every silo of <see cref="ReplicatedTestCluster"/>: at the stop of <see cref="Stage"/>, after
/// the replicas' hand-over stage (<see cref="ReplicaSupervisor.HandOverStage"/>) and before the replicas stop
/// (<see cref="ReplicaSupervisor.Stage"/>), it runs what a test armed for that silo (by ClusterId and replica number), once,
/// while the silo's replicas still run; graceful stop or not. Nothing when nothing is armed.
/// </summary>
internal sealed class SiloStopHook(ClusterReplica replica, IOptions<ClusterOptions> cluster) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The stage whose stop runs the armed action.</summary>
    public const int Stage = ServiceLifecycleStage.Active;

    private static readonly ConcurrentDictionary<(string Cluster, int Replica), Func<Task>> Armed = new();

    /// <summary>Runs <paramref name="onStop"/> when the silo of replica <paramref name="replicaId"/> of cluster <paramref name="clusterId"/> stops (its stop waits for it).</summary>
    public static void Arm(string clusterId, int replicaId, Func<Task> onStop) => Armed[(clusterId, replicaId)] = onStop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloStopHook), Stage, static _ => Task.CompletedTask, _ =>
            Armed.TryRemove((cluster.Value.ClusterId, replica.Id), out Func<Task>? onStop) ? onStop() : Task.CompletedTask);
}
