using Actors.Storage;

namespace Actors.Providers;

/// <summary>
/// Names the journal store of a <c>JournaledGrain</c> class (Orleans' <c>[LogConsistencyProvider(ProviderName = ...)]</c>):
/// the keyed <c>IJournalAdaptorFactory</c> registered under that name, for example a write-ahead-log store added with
/// <c>AddWriteAheadLog(name)</c>, or a log-storage provider added with <c>AddLogStorageBasedLogConsistencyProvider(name)</c>
/// that keeps the events in the grain's <see cref="StorageProviderAttribute"/> store.
/// </summary>
/// <remarks>
/// Without it a journaled grain uses its <see cref="StorageProviderAttribute"/> store, else the store named
/// <see cref="StorageNames.Default"/>; with neither configured it fails to activate with a message saying how to
/// configure one. A named provider that is not configured fails silo start.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class LogConsistencyProviderAttribute : Attribute
{
    /// <summary>The journal store's name. Default <see cref="StorageNames.Default"/>.</summary>
    public string ProviderName { get; set; } = StorageNames.Default;
}
