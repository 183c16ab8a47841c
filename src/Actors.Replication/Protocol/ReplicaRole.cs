namespace Actors.Replication.Protocol;

/// <summary>What a replica does in its current epoch.</summary>
public enum ReplicaRole
{
    /// <summary>Accepts appends from the leader of its epoch (or waits to learn one); may ask the store to lead.</summary>
    Follower,

    /// <summary>Named leader of its epoch by the store: appends, replicates, acknowledges.</summary>
    Leader,
}
