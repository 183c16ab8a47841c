using System.Collections.Concurrent;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// The proposers waiting for a <see cref="CommittedEntryApplier"/>: each registered operation id with the completion of its
/// proposer (<see cref="ProposedWrite"/>), until the operation is applied or refused, its entry fails, or the applier
/// stops.
/// </summary>
/// <remarks>
/// Whoever removes a registration completes it, so each completes exactly once whatever races (the applier, a failed entry,
/// a stopping or failed applier). Thread-safe.
/// </remarks>
internal sealed class ProposalWaiters
{
    private readonly ConcurrentDictionary<Guid, ProposedWrite> _waiting = new();

    /// <summary>True when nobody waits.</summary>
    public bool IsEmpty => _waiting.IsEmpty;

    /// <summary>Registers <paramref name="completion"/> for the outcome of <paramref name="operationId"/>.</summary>
    public void Register(Guid operationId, ProposedWrite completion) => _waiting[operationId] = completion;

    /// <summary>Removes the registration of <paramref name="operationId"/>: the caller completes it. False when there is none (nobody waits here, or it completed).</summary>
    public bool TryTake(Guid operationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProposedWrite? completion)
        => _waiting.TryRemove(operationId, out completion);

    /// <summary>Fails the registration of <paramref name="operationId"/> with <paramref name="exception"/>, unless it completed already.</summary>
    public void Fail(Guid operationId, Exception exception)
    {
        if (_waiting.TryRemove(operationId, out var waiting))
        {
            waiting.SetException(exception);
        }
    }

    /// <summary>Fails every registration with <paramref name="exception"/>.</summary>
    public void FailAll(Exception exception)
    {
        foreach (var operationId in _waiting.Keys)
        {
            Fail(operationId, exception);
        }
    }
}
