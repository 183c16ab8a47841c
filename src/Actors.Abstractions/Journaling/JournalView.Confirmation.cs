using System.Runtime.ExceptionServices;

namespace Actors.Journaling;

/// <content>
/// Confirmation: cycles that append the pending batches in order, and what each outcome does. A cycle never throws;
/// it records outcomes on the batches, which <see cref="ConfirmAsync"/> and conditional raises report.
/// </content>
internal sealed partial class JournalView<TState, TEvent>
{
    /// <summary>How many times one cycle catches up with a journal that moved on before it gives up (a failure).</summary>
    private const int MaxConflictRetries = 8;

    private readonly List<(long Sequence, EventRejectedException Error)> _unreportedRejections = [];
    private Task? _cycle;
    private bool _refreshRequested;
    private Exception? _failure;

    /// <summary>
    /// Completes when every batch raised so far is durable and applied to the confirmed state. Throws the rejection
    /// of any batch raised so far that the store refused (once), or the failure of the cycle that wrote them.
    /// </summary>
    public async Task ConfirmAsync()
    {
        ThrowIfFailed();
        long target = _lastSequence;
        PendingBatch<TEvent>[] waiting = [.. _pending];
        if (waiting.Length > 0)
        {
            EnsureCycle();
            await Task.WhenAll(waiting.Select(b => b.Outcome.Task));
        }

        if (Array.Find(waiting, b => b.Error is not null and not EventRejectedException) is { Error: { } failure })
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        ReportRejections(target);
    }

    /// <summary>Confirms the pending batches, then applies the events other writers stored after this activation's version.</summary>
    public async Task RefreshAsync()
    {
        ThrowIfFailed();
        _refreshRequested = true;
        while (_refreshRequested && _failure is null)
        {
            EnsureCycle();
            await _cycle!;
        }

        ThrowIfFailed();
        ReportRejections(_lastSequence);
    }

    /// <summary>
    /// Waits for a conditional raise's batch; true when stored, false when the journal had moved past its position.
    /// A rejection or failure of the batch is thrown here (and a rejection is then not reported again by <see cref="ConfirmAsync"/>).
    /// </summary>
    public async Task<bool> AwaitConditionalAsync(PendingBatch<TEvent> batch)
    {
        bool stored = await batch.Outcome.Task;
        if (batch.Error is { } error)
        {
            _unreportedRejections.RemoveAll(r => r.Sequence == batch.Sequence);
            ExceptionDispatchInfo.Throw(error);
        }

        return stored;
    }

    /// <summary>At graceful deactivation: waits for (and reports the failure of) the pending confirmation, then lets the store see the final state.</summary>
    public async Task TeardownAsync(CancellationToken cancellationToken)
    {
        if (_adaptor is null || _failure is not null)
        {
            return;
        }

        await ConfirmAsync();
        if (_cycle is { } cycle)
        {
            // The cycle may still be telling the store about its last confirmation (a checkpoint): one call at a time.
            await cycle;
        }

        await WaitForEraseAsync();
        if (_failure is null)
        {
            await _adaptor.OnDeactivateAsync(_confirmed, _version, cancellationToken);
        }
    }

    private void ScheduleConfirmation()
    {
        if (_cycle is null || _cycle.IsCompleted)
        {
            _cycle = RunCyclesAsync(yieldFirst: true);
        }
    }

    private void EnsureCycle()
    {
        if (_cycle is null || _cycle.IsCompleted)
        {
            _cycle = RunCyclesAsync(yieldFirst: false);
        }
    }

    private async Task RunCyclesAsync(bool yieldFirst)
    {
        if (yieldFirst)
        {
            // Continue on the activation's scheduler once the raising turn yields it: the turn's raises form one batch.
            await Task.Yield();
        }

        await WaitForEraseAsync();
        int conflicts = 0;
        while (_failure is null && (_pending.Count > 0 || _refreshRequested))
        {
            try
            {
                if (_pending.Count > 0)
                {
                    conflicts = await ConfirmOnceAsync(conflicts);
                }
                else
                {
                    _refreshRequested = false;
                    await CatchUpAsync();
                }
            }
            catch (Exception ex)
            {
                Fail(ex, "applying stored events");
            }
        }

        _refreshRequested = false;
    }

    /// <summary>Appends every pending batch once; returns the conflict count so far.</summary>
    private async Task<int> ConfirmOnceAsync(int conflicts)
    {
        DropStaleConditionals();
        if (_pending.Count == 0)
        {
            return conflicts;
        }

        PendingBatch<TEvent>[] batches = [.. _pending];
        long expected = _version;
        try
        {
            await Adaptor.AppendAsync(expected, batches.Select(b => b.Prepared).ToArray(), CancellationToken.None);
        }
        catch (Storage.InconsistentStateException conflict) when (conflicts < MaxConflictRetries)
        {
            // Nothing was stored: another writer moved the journal on. Catch up; conditional batches become stale.
            JournalLog.VersionConflict(_logger, conflict, GrainId.ToString(), expected, conflicts + 1);
            await CatchUpAsync();
            return conflicts + 1;
        }
        catch (EventRejectedException rejected)
        {
            Reject(batches, rejected);
            return conflicts;
        }
        catch (Exception ex)
        {
            Fail(ex, "appending raised events");
            return conflicts;
        }

        foreach (PendingBatch<TEvent> batch in batches)
        {
            foreach (TEvent @event in batch.Events)
            {
                _host.Apply(_confirmed, @event);
            }

            _version += batch.Events.Length;
        }

        _pending.RemoveRange(0, batches.Length);
        if (_pending.Count == 0)
        {
            _tentative = null;
        }

        foreach (PendingBatch<TEvent> batch in batches)
        {
            batch.Outcome.TrySetResult(true);
        }

        NotifyConfirmedChanged();
        try
        {
            await Adaptor.OnConfirmedAsync(_confirmed, _version, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The events are durable; the store may be unhealthy, so the activation reloads.
            JournalLog.ConfirmedObserverFailed(_logger, ex, GrainId.ToString(), _version);
            _context.Deactivate(new DeactivationReason(DeactivationReasonCode.StorageFailed, $"The journal store failed after confirming version {_version}: {ex.Message}", ex));
        }

        return conflicts;
    }

    /// <summary>Reads the events stored after <see cref="Version"/> (from a newer checkpoint if they were reclaimed) and applies them.</summary>
    private async Task CatchUpAsync()
    {
        long before = _version;
        try
        {
            await ApplyStoredEventsAsync(CancellationToken.None);
        }
        catch (EventHistoryUnavailableException)
        {
            JournalCheckpoint<TState>? checkpoint = await Adaptor.ReadCheckpointAsync(CancellationToken.None);
            if (checkpoint is null || checkpoint.Version <= _version)
            {
                throw;
            }

            _confirmed = checkpoint.State;
            _version = checkpoint.Version;
            await ApplyStoredEventsAsync(CancellationToken.None);
        }

        if (_version != before)
        {
            _tentative = null;
            NotifyConfirmedChanged();
            NotifyTentativeChanged();
        }
    }

    /// <summary>Drops conditional batches whose position no longer follows the journal (Orleans: they report false).</summary>
    private void DropStaleConditionals()
    {
        long position = _version;
        bool stale = false;
        var dropped = new List<PendingBatch<TEvent>>();
        foreach (PendingBatch<TEvent> batch in _pending)
        {
            if (batch.IsConditional && (stale || batch.ConditionalPosition != position))
            {
                stale = true;
                dropped.Add(batch);
                continue;
            }

            position += batch.Events.Length;
        }

        if (dropped.Count == 0)
        {
            return;
        }

        _pending.RemoveAll(dropped.Contains);
        _tentative = null;
        foreach (PendingBatch<TEvent> batch in dropped)
        {
            batch.Outcome.TrySetResult(false);
        }

        NotifyTentativeChanged();
    }

    private void Reject(PendingBatch<TEvent>[] batches, EventRejectedException rejected)
    {
        _pending.RemoveRange(0, batches.Length);
        _tentative = null;
        JournalLog.EventsRejected(_logger, rejected, GrainId.ToString(), batches.Sum(b => b.Events.Length));
        foreach (PendingBatch<TEvent> batch in batches)
        {
            batch.Error = rejected;
            _unreportedRejections.Add((batch.Sequence, rejected));
            batch.Outcome.TrySetResult(false);
        }

        NotifyTentativeChanged();
    }

    /// <summary>The outcome of the pending batches is unknown: nothing more is served from this activation's state.</summary>
    private void Fail(Exception exception, string operation)
    {
        _failure = exception;
        JournalLog.ConfirmFailed(_logger, exception, GrainId.ToString(), _pending.Sum(b => b.Events.Length), operation);
        PendingBatch<TEvent>[] lost = [.. _pending];
        _pending.Clear();
        _tentative = null;
        foreach (PendingBatch<TEvent> batch in lost)
        {
            batch.Error = exception;
            batch.Outcome.TrySetResult(false);
        }

        _context.Deactivate(new DeactivationReason(DeactivationReasonCode.StorageFailed, $"Journal {operation} failed: {exception.Message}", exception));
    }

    /// <summary>Throws (once) the rejection of a batch raised up to <paramref name="sequence"/>.</summary>
    private void ReportRejections(long sequence)
    {
        int index = _unreportedRejections.FindIndex(r => r.Sequence <= sequence);
        if (index < 0)
        {
            return;
        }

        EventRejectedException error = _unreportedRejections[index].Error;
        _unreportedRejections.RemoveAll(r => r.Sequence <= sequence);
        ExceptionDispatchInfo.Throw(error);
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException(
                $"The journal of grain {GrainId} failed ({_failure.Message}); the activation is deactivating and the next one replays from storage.",
                _failure);
        }
    }
}
