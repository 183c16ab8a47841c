namespace Actors.Journaling;

/// <summary>
/// Events a journal adaptor has already encoded (at <c>RaiseEvent</c> time), waiting to be appended. Adaptors derive
/// their own type holding the encoded payloads; the grain only keeps it and hands it back to
/// <see cref="IJournalAdaptor{TState, TEvent}.AppendAsync"/>.
/// </summary>
public abstract class PreparedEvents
{
    /// <summary>How many events the batch holds.</summary>
    public abstract int Count { get; }
}
