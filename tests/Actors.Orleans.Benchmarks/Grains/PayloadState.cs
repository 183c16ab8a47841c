namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>The state an <c>IPersistentState</c> benchmark grain writes on each call: the payload and a counter.</summary>
[GenerateSerializer]
public sealed class PayloadState
{
    [Id(0)]
    public long Writes { get; set; }

    [Id(1)]
    public byte[] Payload { get; set; } = [];
}
