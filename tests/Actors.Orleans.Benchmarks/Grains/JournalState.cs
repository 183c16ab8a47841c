namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>The view of a journaled benchmark grain: how many events it has applied and the last payload.</summary>
[GenerateSerializer]
public sealed class JournalState
{
    [Id(0)]
    public long Events { get; set; }

    [Id(1)]
    public byte[] LastPayload { get; set; } = [];

    /// <summary>Applied by <c>JournaledGrain</c> for each confirmed (or tentative) event.</summary>
    public void Apply(PayloadWritten written)
    {
        Events++;
        LastPayload = written.Payload;
    }
}
