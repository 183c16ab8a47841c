namespace Actors.Replication.Log;

/// <summary>One entry of a replicated log.</summary>
/// <param name="Epoch">The epoch of the leader that appended it. Two logs holding entries of one epoch at one offset hold the same entry.</param>
/// <param name="Payload">The bytes appended (in the cluster: one framed batch of a partition log). Never changed after append.</param>
public readonly record struct LogEntry(long Epoch, ReadOnlyMemory<byte> Payload);
