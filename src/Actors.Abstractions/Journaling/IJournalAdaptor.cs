using Actors.Storage;

namespace Actors.Journaling;

/// <summary>
/// One activation's view of its event journal (in the manner of Orleans' log-view adaptors, but byte-agnostic: the
/// provider owns codecs, streams and checkpoints). <see cref="JournaledGrain{TState, TEvent}"/> drives it:
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Activation: <see cref="ReadCheckpointAsync"/>, then <see cref="ReadEventsAsync"/> from the checkpoint's version
/// + 1 to the end; each event goes through <c>TransitionState</c>; then <c>OnActivateAsync</c>. Any exception fails the
/// activation (the provider's message should name the grain, the version and the cause) and must not alter stored data.</item>
/// <item><c>RaiseEvent</c>: <see cref="PrepareEvents"/> encodes the events before the tentative state changes; any
/// exception is a rejection (nothing changes; the caller gets it). Prepare everything that can be refused here (size
/// limits included), so that appends are only refused for reasons outside the batch.</item>
/// <item>Confirmation (in the background soon after the raising turn, or awaited by <c>ConfirmEvents</c>):
/// <see cref="AppendAsync"/> with the confirmed version as the expected version and every pending batch, in order; the
/// task completes when durable. <see cref="InconsistentStateException"/> means the journal is not at the expected
/// version and nothing was stored (the grain catches up with <see cref="ReadEventsAsync"/> and retries);
/// <see cref="EventRejectedException"/> means nothing was stored (those events are dropped, the grain continues); any
/// other exception is a failure with an unknown outcome (the activation deactivates and the next one replays what was
/// stored).</item>
/// <item>After each successful append: <see cref="OnConfirmedAsync"/> with the new confirmed state (write a
/// checkpoint when the policy says so); on graceful deactivation, after the pending events are confirmed:
/// <see cref="OnDeactivateAsync"/>. A killed silo calls neither.</item>
/// </list>
/// Calls come from the activation's scheduler, one at a time, except that <see cref="ReadEventsAsync"/> may run while
/// an append is in flight (a reentrant grain). Versions: the first event has version 1; a state at version N includes
/// events 1..N. Each batch of <see cref="PrepareEvents"/> is stored atomically; an adaptor may store consecutive
/// batches with separate writes.
/// </remarks>
/// <typeparam name="TState">The journaled state.</typeparam>
/// <typeparam name="TEvent">The event type.</typeparam>
public interface IJournalAdaptor<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    /// <summary>The latest checkpoint, or null when there is none (replay starts from a new state at version 0).</summary>
    Task<JournalCheckpoint<TState>?> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>The confirmed events with versions <paramref name="fromVersion"/>..<paramref name="toVersion"/> (inclusive, in order; <see cref="long.MaxValue"/> means to the end).</summary>
    /// <exception cref="EventHistoryUnavailableException">Events in the range are no longer stored (for example reclaimed after a checkpoint); the message names the store's history policy.</exception>
    IAsyncEnumerable<JournalEntry<TEvent>> ReadEventsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken);

    /// <summary>Encodes events for a later append. Throwing rejects them.</summary>
    PreparedEvents PrepareEvents(IReadOnlyList<TEvent> events);

    /// <summary>Appends the batches in order after <paramref name="expectedVersion"/>; completes when durable.</summary>
    /// <exception cref="InconsistentStateException">The journal is not at <paramref name="expectedVersion"/>; nothing was stored.</exception>
    /// <exception cref="EventRejectedException">Nothing was stored.</exception>
    Task AppendAsync(long expectedVersion, IReadOnlyList<PreparedEvents> batches, CancellationToken cancellationToken);

    /// <summary>Observes the confirmed state after an append (for checkpoints). The state must not be retained or mutated after the task completes.</summary>
    Task OnConfirmedAsync(TState confirmedState, long version, CancellationToken cancellationToken);

    /// <summary>Observes the confirmed state at graceful deactivation (for a final checkpoint).</summary>
    Task OnDeactivateAsync(TState confirmedState, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Erases the confirmed events up to <paramref name="toVersion"/>: first stores a checkpoint of
    /// <paramref name="confirmedState"/> at <paramref name="version"/> (so that the next activation recovers the state
    /// without them), then makes events 1..<paramref name="toVersion"/> unreadable (reads of them throw
    /// <see cref="EventHistoryUnavailableException"/>) and removes them from the store (a file-backed store at its next
    /// compaction). The journal's version does not change: appends continue after <paramref name="version"/>.
    /// </summary>
    /// <remarks>Called with no append in flight. The state must not be retained or mutated after the task completes
    /// (copy or encode it). A store may also drop confirmed events after <paramref name="toVersion"/> that the checkpoint
    /// covers, when its history policy reclaims checkpointed events anyway.</remarks>
    /// <param name="confirmedState">The confirmed state at <paramref name="version"/>.</param>
    /// <param name="version">The confirmed version (at least <paramref name="toVersion"/>).</param>
    /// <param name="toVersion">The newest version to erase (at least 1).</param>
    /// <param name="cancellationToken">Cancels waiting (the erase may still happen).</param>
    /// <exception cref="HistoryEraseRejectedException">The checkpoint could not be encoded or stored, or the store cannot
    /// erase; nothing was erased (a checkpoint may have been stored).</exception>
    Task EraseHistoryAsync(TState confirmedState, long version, long toVersion, CancellationToken cancellationToken);
}
