using Actors.Storage;

namespace Actors.Providers;

/// <summary>
/// The base of provider-specific grain class attributes (for example the write-ahead log's <c>[WriteAheadLog]</c>):
/// they carry that provider's per-class settings and may name the store, as a shorthand for
/// <see cref="StorageProviderAttribute"/>.
/// </summary>
/// <remarks>
/// Providers read their derived attribute from the grain class. When <see cref="StorageProviderAttribute"/> or
/// <see cref="LogConsistencyProviderAttribute"/> stands beside it, a <see cref="StoreName"/> set here must name the
/// same store (silo start fails otherwise); left null, the attribute only tunes options.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public abstract class GrainStoreAttribute : Attribute
{
    /// <summary>The store's name, or null to use the one the provider-neutral attributes (or <see cref="StorageNames.Default"/>) select.</summary>
    public string? StoreName { get; init; }
}
