namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>The event a journaled benchmark grain raises on each call: an opaque payload (100 B by default).</summary>
[GenerateSerializer]
public sealed class PayloadWritten
{
    [Id(0)]
    public byte[] Payload { get; set; } = [];
}
