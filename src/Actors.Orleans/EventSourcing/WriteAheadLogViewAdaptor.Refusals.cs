using System.Runtime.ExceptionServices;
using Actors.Orleans.Storage;
using Actors.Wal;
using Orleans.EventSourcing;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// Refusals that end the activation: in a cluster, a storage call on a silo that does not lead the grain's partition is
/// refused and the activation deactivated (<see cref="WriteAheadLogUnavailableException.ActivationDeactivated"/>). Orleans's
/// adaptor retries a failed read or write for as long as it fails, inside the grain call that waits for it; here every
/// retry would be refused again, and the activation cannot finish deactivating while that call runs, so the calls queued
/// for it wait until their callers time out instead of being sent to the leader. Such a refusal ends the work cycle and the
/// waiting call with the typed refusal (or an outcome-unknown error when the pending events may be stored), and nothing is
/// read or stored by this activation afterwards.
/// </summary>
internal sealed partial class WriteAheadLogViewAdaptor<TView, TEntry>
{
    /// <summary><c>ConfirmEvents</c>: Orleans's, with the refusal that ended the activation thrown as itself.</summary>
    Task ILogViewUpdate<TEntry>.ConfirmSubmittedEntries() => ThrowingRefusal(ConfirmSubmittedEntries());

    /// <summary><c>RefreshNow</c>: Orleans's, with the refusal that ended the activation thrown as itself.</summary>
    Task ILogViewUpdate<TEntry>.Synchronize() => ThrowingRefusal(Synchronize());

    /// <summary><paramref name="operation"/> itself when it already succeeded, else <see cref="ThrowingRefusalAsync"/>.</summary>
    private Task ThrowingRefusal(Task operation) => operation.IsCompletedSuccessfully ? operation : ThrowingRefusalAsync(operation);

    /// <summary>
    /// Orleans reports a failed work cycle as its protocol error (an <c>OrleansException</c> carrying only the text): once
    /// the activation is refused, its waiters get the provider's typed error instead, so a caller can tell it is retryable
    /// (or of unknown outcome).
    /// </summary>
    private async Task ThrowingRefusalAsync(Task operation)
    {
        try
        {
            await operation.ConfigureAwait(false);
        }
        catch (Exception) when (_abandonedWith is { } typed)
        {
            ExceptionDispatchInfo.Throw(typed);
        }
    }

    /// <summary>Whether <paramref name="failure"/> is a refusal that deactivated this activation; if so it is kept, and every later read and write throws it.</summary>
    private bool EndsActivation(Exception failure)
    {
        if (failure is not WriteAheadLogUnavailableException { ActivationDeactivated: true } refused)
        {
            return false;
        }

        _refused ??= refused;
        _abandonedWith = _refused;
        return true;
    }

    /// <summary>Throws the refusal that ended this activation, if one did: nothing is read or stored here afterwards.</summary>
    private void ThrowIfRefused()
    {
        if (_refused is { } refused)
        {
            ExceptionDispatchInfo.Throw(refused);
        }
    }

    /// <summary>Whether a failed append certainly stored nothing (a refusal or a version conflict), as opposed to a failure mid-write.</summary>
    private bool StoredNothing(Exception failure) => failure is WriteAheadLogUnavailableException or StreamVersionConflictException
        || (failure is WriteAheadLogOperationException { OutcomeUnknown: false })
        || LogErrors.Translate(failure, $"Appending {_settings.What}", _settings.StreamId) is WriteAheadLogUnavailableException or WriteAheadLogOperationException { OutcomeUnknown: false };

    /// <summary>
    /// The error that ends a write cycle refused for good (<see cref="_refused"/>): the refusal itself when nothing of the
    /// pending events can be stored, else an outcome-unknown error naming how much of the batch was stored. It also becomes
    /// what the cycle's waiters get.
    /// </summary>
    private Exception Abandon(int written, int total)
    {
        WriteAheadLogUnavailableException refused = _refused!;
        if (written == 0 && !_pendingMayBeStored)
        {
            _abandonedWith = refused;
            return refused;
        }

        string stored = written > 0
            ? $"{written} of the batch's {total} events were stored before"
            : "an earlier attempt of the batch failed in a way that may have stored it";
        var unknown = new WriteAheadLogOperationException(
            $"Appending {_settings.What} (not retried: this activation was refused and deactivated; {stored})", _settings.StreamId, outcomeUnknown: true, refused);
        _abandonedWith = unknown;
        return unknown;
    }
}
