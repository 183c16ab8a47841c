namespace Actors.Persistence.Wal.Hosting;

/// <summary>Records that a write-ahead-log store was added, so the lifecycle services can find every store.</summary>
/// <param name="Name">The store's name.</param>
internal sealed record WriteAheadLogStoreRegistration(string Name);
