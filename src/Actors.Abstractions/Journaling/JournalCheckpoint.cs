namespace Actors.Journaling;

/// <summary>A stored snapshot of a journaled grain's confirmed state after <see cref="Version"/> events.</summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <param name="State">The state (owned by the grain once returned).</param>
/// <param name="Version">How many events the state includes.</param>
public sealed record JournalCheckpoint<TState>(TState State, long Version);
