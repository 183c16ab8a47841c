namespace Actors.Journaling;

/// <summary>
/// A journal adaptor refused events before storing anything (for example an event cannot be encoded or exceeds a
/// size limit): the <em>rejected</em> outcome. The grain's state is unchanged and it keeps running. Any other
/// exception from <see cref="IJournalAdaptor{TState, TEvent}.AppendAsync"/> is a <em>failure</em> (outcome unknown): the
/// activation deactivates and the next one replays from the journal.
/// </summary>
public sealed class EventRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventRejectedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
