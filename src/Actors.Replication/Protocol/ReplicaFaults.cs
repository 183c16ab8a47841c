namespace Actors.Replication.Protocol;

/// <summary>
/// Deliberate protocol bugs, for tests only: the simulator must find a seed that breaks an invariant under each one
/// (proof that it can catch such bugs). Never set outside tests.
/// </summary>
internal sealed class ReplicaFaults
{
    /// <summary>No fault injected.</summary>
    public static readonly ReplicaFaults None = new();

    /// <summary>Followers report entries durable once written, before their sync completes.</summary>
    public bool AcknowledgeBeforeFollowerSync { get; init; }

    /// <summary>The leader stops waiting for a follower as soon as it proposes removing it, before the store accepts.</summary>
    public bool ShrinkInSyncBeforeStoreAccepts { get; init; }

    /// <summary>A follower that is not in the in-sync set may ask to become leader (adding itself to the set).</summary>
    public bool ElectOutsideInSync { get; init; }

    /// <summary>The leader's read lease lasts four leader timeouts from an echoed stamp instead of one leader timeout less a heartbeat.</summary>
    public bool ReadLeaseTooLong { get; init; }

    /// <summary>A replica deletes the entries a checkpoint covers as soon as it asks for the checkpoint's write, before it is durable.</summary>
    public bool DeletePrefixBeforeCheckpointDurable { get; init; }

    /// <summary>The leader may shrink the in-sync set to itself whatever the partition's size (the in-sync floor ignored).</summary>
    public bool InSyncFloorOfOne { get; init; }

    /// <summary>A follower that never heard from the leader of the store's epoch asks to lead after its leader timeout alone, without the back-off.</summary>
    public bool ElectWithoutBackOff { get; init; }

    /// <summary>A replica added to the set (<c>Replica.ChangeReplicas</c>) joins the in-sync set at once, before it caught up.</summary>
    public bool AddReplicaInSync { get; init; }

    /// <summary>A leader that removes a follower (<c>Replica.RemoveFollower</c>, an in-sync one too) stops waiting for it as soon as it proposes the removal, before the store accepts.</summary>
    public bool RemovedFollowerNotAwaited { get; init; }

    /// <summary>A hand-over picks the follower with the shortest log, in sync or not, and names it leader without waiting for it to catch up.</summary>
    public bool HandOverOutsideInSync { get; init; }

    /// <summary>A leader that adds a replica to the set counts its answers sent before it was added (a removed, wiped and re-added replica's stale acknowledgements).</summary>
    public bool StaleAnswersOfAddedReplicaCounted { get; init; }
}
