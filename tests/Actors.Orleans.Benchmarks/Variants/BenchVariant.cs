namespace Actors.Orleans.Benchmarks.Variants;

/// <summary>
/// One way of storing a grain's write: the grain type the callers address, what the call waits for, and which
/// backing store the silo must provide.
/// </summary>
/// <param name="Key">The name on the command line (<c>--variants</c>).</param>
/// <param name="Title">The row label in the tables.</param>
/// <param name="GrainType">The Orleans grain type (<c>[GrainType]</c>) of the variant's grain class.</param>
/// <param name="Durability">What a completed call guarantees, printed with the options.</param>
/// <param name="Store">The backing store the silo needs for this variant.</param>
/// <param name="Journaled">Whether the grain is a <c>JournaledGrain</c> (it can be given a history of events).</param>
public sealed record BenchVariant(string Key, string Title, string GrainType, string Durability, BackingStore Store, bool Journaled);
