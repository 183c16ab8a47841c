using Actors.Wal;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// An operation of a burst handed to the local log (<see cref="LocalLogWrites.Start"/>) and not yet finished: an append's
/// pending <paramref name="Append"/> (awaited exactly once, by <see cref="BurstApplier"/>), or any other write's (or a
/// synchronous refusal's) <paramref name="Other"/>; <paramref name="EndsEntry"/> is the LSN of the entry it ends, else 0.
/// </summary>
internal readonly record struct StartedOperation(Guid OperationId, ValueTask<AppendResult> Append, Task<object>? Other, long EndsEntry);
