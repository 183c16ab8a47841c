namespace Actors.Replication.Protocol;

/// <summary>One append asked of a leader: its outcome comes back for <paramref name="RequestId"/>.</summary>
/// <param name="RequestId">The caller's id, named again by <see cref="IReplicaEnvironment.Acknowledge"/> or <see cref="IReplicaEnvironment.Abandon"/>.</param>
/// <param name="Payload">The entry's payload (the replica keeps the reference: the caller must not change it).</param>
public readonly record struct Proposal(long RequestId, ReadOnlyMemory<byte> Payload);
