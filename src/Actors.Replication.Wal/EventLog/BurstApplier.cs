using Actors.Wal;
using Actors.Wal.Entries;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// Applies one burst of committed entries to the local log for a <see cref="CommittedEntryApplier"/>: decodes each entry's
/// operations, hands them to the log in LSN order (<see cref="LocalLogWrites"/>), then finishes them in that order:
/// completes each proposer (<see cref="ProposalWaiters"/>) with its own outcome and moves the applied LSN entry by entry
/// (<see cref="AppliedProgress"/>).
/// </summary>
/// <remarks>
/// <para>One commit per burst: every operation of the burst is started before any is awaited, and the writes a
/// <see cref="WriteAheadLog"/> batches are committed together just before the first wait; an erase or a checkpoint
/// deletion, which reads the stream before it writes, splits the burst (what precedes it is committed and finished first,
/// then it is applied alone).</para>
/// <para>Refusals: a write the log refuses (<see cref="RequestRejectedException"/>, <see cref="StreamVersionConflictException"/>,
/// <see cref="ArgumentException"/>) is refused the same way on every replica and changes nothing: it is its proposer's
/// answer, and applying goes on. Any other failure is thrown to the applier, which stops.</para>
/// <para>Not thread-safe: the applier's loop only.</para>
/// </remarks>
internal sealed class BurstApplier
{
    private readonly ProposalWaiters _waiters;
    private readonly AppliedProgress _progress;
    private readonly StreamIdCache _streamIds = new();
    private readonly List<DecodedOperation> _decoded = [];
    private readonly Queue<StartedOperation> _started = new();
    private LocalLogWrites? _writes;

    /// <summary>Creates the applier of bursts that completes <paramref name="waiters"/> and advances <paramref name="progress"/>.</summary>
    public BurstApplier(ProposalWaiters waiters, AppliedProgress progress)
    {
        _waiters = waiters;
        _progress = progress;
    }

    /// <summary>
    /// Applies <paramref name="entries"/> (committed, in LSN order, following the applied LSN) to <paramref name="local"/>;
    /// returns once every operation finished and the applied LSN is the last entry's.
    /// </summary>
    /// <exception cref="MalformedReplicatedOperationException">An entry does not decode.</exception>
    /// <remarks>Any other exception is the local log's failure. Either way, what was started is handed to the log first.</remarks>
    public async Task ApplyAsync(IReadOnlyList<LoggedEntry> entries, IEventLog local)
    {
        var writes = _writes is { } current && ReferenceEquals(current.Log, local) ? current : _writes = new LocalLogWrites(local);
        try
        {
            for (var e = 0; e < entries.Count; e++)
            {
                var entry = entries[e];
                ReplicatedOperationBatch.DecodeInto(entry.Lsn, entry.Payload, _decoded, _streamIds);
                for (var i = 0; i < _decoded.Count; i++)
                {
                    var operation = _decoded[i];
                    var alone = operation.Kind is ReplicatedOperationKind.EraseEvents or ReplicatedOperationKind.DeleteCheckpoints;
                    if (alone)
                    {
                        // An erase or a checkpoint deletion reads the stream before it writes: everything before it must be applied first.
                        await FinishStartedAsync(writes).ConfigureAwait(false);
                    }

                    _started.Enqueue(writes.Start(operation, entry.Lsn, i == _decoded.Count - 1 ? entry.Lsn : 0));
                    if (alone)
                    {
                        await FinishStartedAsync(writes).ConfigureAwait(false);
                    }
                }
            }

            // The whole burst (since the last erase) was started before waiting for any of it: one commit takes it.
            await FinishStartedAsync(writes).ConfigureAwait(false);
        }
        finally
        {
            // A failure leaves the applier stopped; what was started still reaches the log, as each call alone would have.
            writes.Commit();
            _started.Clear();
        }
    }

    /// <summary>
    /// Commits the started writes, then waits for them in order, completes their proposers, and advances the applied LSN
    /// entry by entry. One state machine for the whole burst; an append's result is never boxed.
    /// </summary>
    private async Task FinishStartedAsync(LocalLogWrites writes)
    {
        writes.Commit(); // nothing awaited below may still wait in the batch
        while (_started.TryDequeue(out var next))
        {
            object? result = null;
            AppendResult appended = default;
            try
            {
                if (next.Other is { } other)
                {
                    result = await other.ConfigureAwait(false);
                }
                else
                {
                    appended = await next.Append.ConfigureAwait(false);
                }
            }
            catch (Exception refusal) when (refusal is RequestRejectedException or StreamVersionConflictException or ArgumentException)
            {
                // Refused the same way on every replica: nothing changed anywhere; the proposer's caller gets the refusal.
                _waiters.Fail(next.OperationId, refusal);
                AdvanceIfEndsEntry(next);
                continue;
            }

            if (_waiters.TryTake(next.OperationId, out var waiting))
            {
                if (next.Other is null)
                {
                    waiting.SetAppended(appended);
                }
                else
                {
                    waiting.SetResult(result!);
                }
            }

            AdvanceIfEndsEntry(next);
        }
    }

    private void AdvanceIfEndsEntry(StartedOperation finished)
    {
        if (finished.EndsEntry > 0)
        {
            _progress.Set(finished.EndsEntry);
        }
    }
}
