namespace Actors.TestingHost.Conformance;

/// <summary>The journaled state of the journal conformance scenarios.</summary>
public sealed class ConformanceJournalState
{
    /// <summary>The sum of the applied events' amounts.</summary>
    public int Total { get; set; }
}
