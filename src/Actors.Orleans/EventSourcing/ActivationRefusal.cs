using System.Runtime.ExceptionServices;
using Actors.Orleans.Storage;
using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// What ends a journaled grain activation's storage, and the typed error the waiters of its work cycles get then.
/// </summary>
/// <remarks>
/// <para>A refusal that deactivated the activation (<see cref="WriteAheadLogUnavailableException.ActivationDeactivated"/>):
/// in a cluster, a storage call on a silo that does not lead the grain's partition is refused and the activation
/// deactivated. Orleans's adaptor retries a failed read or write for as long as it fails, inside the grain call that waits
/// for it; here every retry would be refused again, and the activation cannot finish deactivating while that call runs, so
/// the calls queued for it would wait until their callers time out instead of being sent to the leader. Such a refusal ends
/// the work cycle and the waiting call with the typed refusal (or an outcome-unknown error when the pending events may be
/// stored), and nothing is read or stored by this activation afterwards (<see cref="ThrowIfRefused"/>).</para>
/// <para>An append whose outcome the stream cannot tell (<see cref="InDoubtAppends"/>): the write cycle ends with an
/// outcome-unknown error, every later write throws it (<see cref="ThrowIfUndecided"/>), and the activation is deactivated.</para>
/// <para>Not thread-safe: its adaptor calls it from the grain's turns only.</para>
/// </remarks>
internal sealed class ActivationRefusal
{
    private readonly JournalSettings _settings;

    /// <summary>
    /// The refusal that deactivated this activation, once one came: from then on every read and write of the adaptor throws
    /// it without touching the log, so a batch the caller was told is refused is never stored later by this activation.
    /// </summary>
    private WriteAheadLogUnavailableException? _refused;

    /// <summary>The error the last work cycle ended with once the activation was refused: what its waiters get (<see cref="ThrowingRefusal"/>).</summary>
    private Exception? _abandonedWith;

    /// <summary>
    /// True once an append of the pending events failed in a way that may have stored it (not a refusal), until a write
    /// cycle stores them: a refusal that ends the activation then reports the outcome as unknown, never "nothing stored".
    /// </summary>
    private bool _pendingMayBeStored;

    /// <summary>
    /// The outcome-unknown error an append ended with when the stream could not tell whether it was stored, once one did:
    /// from then on every write of the adaptor throws it without touching the log.
    /// </summary>
    private WriteAheadLogOperationException? _undecided;

    public ActivationRefusal(JournalSettings settings) => _settings = settings;

    /// <summary>Whether a refusal deactivated this activation.</summary>
    public bool IsRefused => _refused is not null;

    /// <summary>Whether <paramref name="failure"/> is the very refusal that deactivated this activation.</summary>
    public bool IsTheRefusal(Exception failure) => _refused is not null && ReferenceEquals(failure, _refused);

    /// <summary>Whether <paramref name="failure"/> is a refusal that deactivated this activation; if so it is kept, and every later read and write throws it.</summary>
    public bool EndsActivation(Exception failure)
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
    public void ThrowIfRefused()
    {
        if (_refused is { } refused)
        {
            ExceptionDispatchInfo.Throw(refused);
        }
    }

    /// <summary>Throws the outcome-unknown error that ended this activation's writes, if one did.</summary>
    public void ThrowIfUndecided()
    {
        if (_undecided is { } undecided)
        {
            ExceptionDispatchInfo.Throw(undecided);
        }
    }

    /// <summary>An append of the pending events failed in a way that may have stored it.</summary>
    public void PendingMayBeStored() => _pendingMayBeStored = true;

    /// <summary>A write cycle stored every pending event.</summary>
    public void PendingStored() => _pendingMayBeStored = false;

    /// <summary>Whether a failed append certainly stored nothing (a refusal or a version conflict), as opposed to a failure mid-write.</summary>
    public bool StoredNothing(Exception failure) => failure is WriteAheadLogUnavailableException or StreamVersionConflictException
        || (failure is WriteAheadLogOperationException { OutcomeUnknown: false })
        || LogErrors.Translate(failure, $"Appending {_settings.What}", _settings.StreamId) is WriteAheadLogUnavailableException or WriteAheadLogOperationException { OutcomeUnknown: false };

    /// <summary>
    /// The error that ends a write cycle refused for good (<see cref="IsRefused"/>): the refusal itself when nothing of the
    /// pending events can be stored, else an outcome-unknown error naming how much of the batch was stored. It also becomes
    /// what the cycle's waiters get.
    /// </summary>
    public Exception Abandon(int written, int total)
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

    /// <summary>
    /// Ends this activation's writes after an append at <paramref name="expectedVersion"/> whose outcome the stream cannot
    /// tell: the error names the grain, the stream and the version; every later write throws it without touching the log
    /// (the pending events, which may be stored, are never appended again), the cycle's waiters get it, and
    /// <paramref name="activation"/> (when the grain has one) is deactivated.
    /// </summary>
    public WriteAheadLogOperationException Undecided(int written, int total, long expectedVersion, Exception failure, IGrainContext? activation)
    {
        string before = written > 0 ? $"{written} of the batch's {total} events were stored before; " : "";
        var unknown = new WriteAheadLogOperationException(
            $"Appending {_settings.What} at stream version {expectedVersion} (not retried: {before}after the append failed, the stream holds records equal to it from version {expectedVersion + 1}, which may be this append or another writer's; the rest of the batch was not appended; the activation is deactivated and its next activation reads what is stored)",
            _settings.StreamId,
            outcomeUnknown: true,
            failure);
        _undecided = unknown;
        _abandonedWith = unknown;
        activation?.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, unknown.Message));
        return unknown;
    }

    /// <summary><paramref name="operation"/> itself when it already succeeded, else the same with the typed error described at <see cref="ThrowingRefusalAsync"/>.</summary>
    public Task ThrowingRefusal(Task operation) => operation.IsCompletedSuccessfully ? operation : ThrowingRefusalAsync(operation);

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
}
