namespace Actors.Journaling;

/// <summary>
/// Events raised together (one <c>RaiseEvent(s)</c> or <c>RaiseConditionalEvent(s)</c> call), encoded and waiting for
/// confirmation. Owned by the activation's <see cref="JournalView{TState, TEvent}"/>.
/// </summary>
/// <typeparam name="TEvent">The grain's event type.</typeparam>
internal sealed class PendingBatch<TEvent>(long sequence, TEvent[] events, PreparedEvents prepared, long conditionalPosition)
    where TEvent : class
{
    /// <summary><see cref="ConditionalPosition"/> of a batch raised unconditionally.</summary>
    public const long Unconditional = -1;

    /// <summary>Raise order within the activation (1, 2, ...).</summary>
    public long Sequence { get; } = sequence;

    public TEvent[] Events { get; } = events;

    public PreparedEvents Prepared { get; } = prepared;

    /// <summary>The journal version the batch must follow, or <see cref="Unconditional"/>.</summary>
    public long ConditionalPosition { get; } = conditionalPosition;

    public bool IsConditional => ConditionalPosition != Unconditional;

    /// <summary>Completes with true (stored) or false (dropped: see <see cref="Error"/>, or a stale conditional batch); never faults.</summary>
    public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the batch was dropped: the store's rejection, or the failure whose outcome is unknown; null otherwise.</summary>
    public Exception? Error { get; set; }
}
