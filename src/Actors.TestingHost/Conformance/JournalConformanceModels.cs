namespace Actors.TestingHost.Conformance;

/// <summary>Ready-made <see cref="JournalConformanceModel{TState, TEvent}"/>s.</summary>
public static class JournalConformanceModels
{
    /// <summary>The model over <see cref="ConformanceEvent"/> and <see cref="ConformanceJournalState"/> (for stores that need no event annotations).</summary>
    public static JournalConformanceModel<ConformanceJournalState, ConformanceEvent> Default { get; } = new(
        amount => new ConformanceEvent(amount),
        e => e.Amount,
        s => s.Total,
        (s, e) => s.Total += e.Amount);
}
