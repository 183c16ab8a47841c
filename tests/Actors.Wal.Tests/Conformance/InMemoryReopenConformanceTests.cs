namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// Runs the persistent suite against handles on one shared <see cref="InMemoryEventLog"/>, where "reopen" is a new
/// handle on the same memory. It proves the reopen tests themselves pass against a correct log, so a failure of
/// <c>WriteAheadLogConformanceTests</c> points at the engine rather than at the tests.
/// </summary>
public sealed class InMemoryReopenConformanceTests : PersistentEventLogConformanceTests
{
    private readonly List<InMemoryEventLog> _stores = [];

    protected override ValueTask<IEventLog> CreateLogAsync(TimeProvider timeProvider, int maxRecordSizeBytes)
    {
        var store = new InMemoryEventLog(maxRecordSizeBytes, timeProvider);
        _stores.Add(store);
        return ValueTask.FromResult<IEventLog>(new ReopenableInMemoryEventLog(store));
    }

    protected override async ValueTask<IEventLog> ReopenAsync(IEventLog log)
    {
        var handle = (ReopenableInMemoryEventLog)log;
        await handle.DisposeAsync();
        return handle.Reopen();
    }

    protected override async ValueTask CleanupAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }
}
