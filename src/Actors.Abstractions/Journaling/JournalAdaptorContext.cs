namespace Actors.Journaling;

/// <summary>What a journal store knows about the activation it creates an adaptor for.</summary>
/// <param name="GrainId">The grain (the provider maps it to its stream).</param>
/// <param name="GrainClass">The grain class (providers read their own attribute settings, such as a checkpoint policy, from it).</param>
/// <param name="StoreName">The store name the grain uses (see <see cref="Storage.GrainStoreSelection"/>).</param>
/// <param name="Services">The silo's services.</param>
public sealed record JournalAdaptorContext(GrainId GrainId, Type GrainClass, string StoreName, IServiceProvider Services);
