namespace Actors.Wal.Tests.Conformance;

/// <summary>Runs the conformance suite against <see cref="InMemoryEventLog"/>.</summary>
public sealed class InMemoryEventLogConformanceTests : EventLogConformanceTests
{
    protected override ValueTask<IEventLog> CreateLogAsync(TimeProvider timeProvider, int maxRecordSizeBytes) =>
        ValueTask.FromResult<IEventLog>(new InMemoryEventLog(new InMemoryEventLogOptions { MaxRecordSizeBytes = maxRecordSizeBytes }, timeProvider));
}
