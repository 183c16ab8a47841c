namespace Actors.TestingHost.Conformance;

/// <summary>The event type the journal conformance scenarios append.</summary>
/// <param name="Amount">An amount added to <see cref="ConformanceJournalState.Total"/>.</param>
public sealed record ConformanceEvent(int Amount);
