namespace Actors.Replication.Wal.EventLog;

/// <summary>The fields of a decoded <see cref="ReplicatedOperation"/>, as a value (the applier's; see <see cref="ReplicatedOperation.DecodeFields"/>).</summary>
internal readonly record struct DecodedOperation(
    ReplicatedOperationKind Kind, Guid OperationId, string StreamId, long Version, ReadOnlyMemory<byte>[] Items);
