using Actors.Wal.Tests.Conformance;
using FsCheck;
using FsCheck.Fluent;

namespace Actors.Wal.Tests.Properties;

/// <summary>
/// Random operation sequences (appends with right and wrong expected versions, checkpoints, deletes, clock moves,
/// point-in-time reads, raw event reads) applied to <see cref="InMemoryEventLog"/> and to
/// <see cref="EventLogModel"/>, compared after every step. Fixed seeds, bounded case counts.
/// </summary>
public sealed class InMemoryEventLogPropertyTests
{
    private const ulong Seed = 20261121;

    [Fact]
    public void RandomOperationSequences_InMemoryLog_MatchesModelAfterEveryStep()
    {
        var property = Prop.ForAll(
            OperationGenerators.Sequences(withCrashes: false, maxLength: 80),
            operations => Task.Run(() => RunAsync(operations, faulty: false)));

        Check.One(OperationGenerators.FixedSeed(Seed, cases: 200), property);
    }

    [Fact]
    public void RandomOperationSequences_LogWithOffByOneTimeBound_IsFalsified()
    {
        var property = Prop.ForAll(
            OperationGenerators.Sequences(withCrashes: false, maxLength: 80),
            operations => Task.Run(() => RunAsync(operations, faulty: true)));

        var failure = Assert.ThrowsAny<Exception>(() => Check.One(OperationGenerators.FixedSeed(Seed, cases: 300), property));

        Assert.Contains("AtTime", failure.Message, StringComparison.Ordinal);
    }

    private static async Task RunAsync(LogOperation[] operations, bool faulty)
    {
        var clock = new ConformanceTimeProvider();
        await using var memory = new InMemoryEventLog(OperationGenerators.MaxRecordSizeBytes, clock);
        IEventLog log = faulty ? new TimeBoundOffByOneEventLog(memory) : memory;
        await new ModelChecker(log, clock, strict: true).RunAsync(operations);
    }
}
