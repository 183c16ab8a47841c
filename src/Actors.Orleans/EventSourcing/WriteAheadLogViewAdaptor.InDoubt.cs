using System.Runtime.ExceptionServices;
using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// Appends of unknown outcome. Orleans's adaptor appends a batch again whenever <c>WriteAsync</c> returns 0, and keeps a
/// batch pending (to be written by the next work cycle) when it throws. An append that failed after its records became
/// durable (an I/O error during the write or fsync, a replicated append whose commit was not confirmed) is seen by the
/// refresh that follows: its events are then in the confirmed view, and appending the batch again would store them twice.
/// So after such a failure the refresh decides (<see cref="InDoubtAppends"/>): the stream still at the version the append
/// expected means nothing was stored yet (a retry there is conditional: at most one of the attempts is ever stored); the
/// stream moved on with other records means none was stored; the stream moved on with records equal to an attempt's
/// cannot be told from another writer raising the same events, so the write cycle ends with an outcome-unknown error
/// (<see cref="WriteAheadLogOperationException.OutcomeUnknown"/>), nothing more is stored by this activation, and it is
/// deactivated: the next activation reads what the stream holds.
/// </summary>
internal sealed partial class WriteAheadLogViewAdaptor<TView, TEntry>
{
    /// <summary>
    /// After an append of unknown outcome and a successful refresh: true when no attempt in doubt was stored (then the
    /// batch may be appended again), false when the stream cannot tell (the caller ends the write cycle with
    /// <see cref="Undecided"/>).
    /// </summary>
    private async Task<bool> InDoubtNotStoredAsync()
    {
        long expected = _inDoubt.ExpectedVersion;
        long now = _origin + _version;
        if (now == expected)
        {
            return true; // nothing stored after the version the attempts expected: each retry there is conditional
        }

        if (now < expected)
        {
            return false;
        }

        IReadOnlyList<StoredEvent> after;
        try
        {
            after = await (await _settings.GetLogAsync().ConfigureAwait(false))
                .ReadEventsAsync(_settings.StreamId, expected + 1, Math.Min(now, expected + _inDoubt.MostRecords)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EventsReclaimedException or WalException or WriteAheadLogProviderException)
        {
            return false; // the records that would tell are gone or unreadable
        }

        if (_inDoubt.AnyMatches(after))
        {
            return false;
        }

        _inDoubt.Clear(); // other records hold the versions the attempts expected: none was stored, none can be later
        return true;
    }

    /// <summary>
    /// Ends this activation's writes after an append whose outcome the stream cannot tell: the error names the grain, the
    /// stream and the version; every later write throws it without touching the log (the pending events, which may be
    /// stored, are never appended again), <c>ConfirmEvents</c> throws it, and the activation is deactivated.
    /// </summary>
    private WriteAheadLogOperationException Undecided(int written, int total, Exception failure)
    {
        string before = written > 0 ? $"{written} of the batch's {total} events were stored before; " : "";
        var unknown = new WriteAheadLogOperationException(
            $"Appending {_settings.What} at stream version {_inDoubt.ExpectedVersion} (not retried: {before}after the append failed, the stream holds records equal to it from version {_inDoubt.ExpectedVersion + 1}, which may be this append or another writer's; the rest of the batch was not appended; the activation is deactivated and its next activation reads what is stored)",
            _settings.StreamId,
            outcomeUnknown: true,
            failure);
        _undecided = unknown;
        _abandonedWith = unknown;
        if (Host is IGrainBase { GrainContext: { } context })
        {
            context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, unknown.Message));
        }

        return unknown;
    }

    /// <summary>Throws the outcome-unknown error that ended this activation's writes, if one did.</summary>
    private void ThrowIfUndecided()
    {
        if (_undecided is { } undecided)
        {
            ExceptionDispatchInfo.Throw(undecided);
        }
    }
}
