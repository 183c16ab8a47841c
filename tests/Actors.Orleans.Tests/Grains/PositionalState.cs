namespace Actors.Orleans.Tests.Grains;

/// <summary>A state type without a parameterless constructor (a positional record).</summary>
[GenerateSerializer]
public sealed record PositionalState([property: Id(0)] string Name, [property: Id(1)] int Visits);
