using Actors.Wal.Tests.Conformance;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Actors.Wal.Tests.Properties;

/// <summary>
/// Random operation sequences interleaved with simulated crashes, against <see cref="WriteAheadLog"/> under
/// <see cref="SyncPolicy.Always"/> and the model: nothing acknowledged is ever lost, nothing unacknowledged is
/// half-visible. The crash model is documented on <see cref="WalCrashModelChecker"/>. Fixed seed, bounded cases,
/// a temporary directory per case.
/// </summary>
public sealed class WriteAheadLogCrashPropertyTests(ITestOutputHelper output)
{
    private const ulong Seed = 20261122;

    [Fact]
    public void RandomOperationsWithCrashes_AlwaysPolicy_NothingAcknowledgedLostNothingHalfVisible()
    {
        var totals = new CrashTotals();
        var property = Prop.ForAll(
            OperationGenerators.Sequences(withCrashes: true, maxLength: 50),
            operations => Task.Run(() => RunAsync(operations, totals)));

        Check.One(OperationGenerators.FixedSeed(Seed, cases: 40), property);

        output.WriteLine(totals.ToString());
        Assert.True(totals.Crashes > 0, $"the generated sequences must contain crashes: {totals}");
        Assert.True(totals.ZerosAppended > 0, $"some crashes must leave a zero-filled tail: {totals}");
        Assert.True(totals.InsideFsync > 0, $"some crashes must happen inside fsync: {totals}");
    }

    private static async Task RunAsync(LogOperation[] operations, CrashTotals totals)
    {
        using var directory = new TempDirectory("actors-walcrash");
        var clock = new ConformanceTimeProvider();
        var options = new WriteAheadLogOptions
        {
            Directory = directory.Path,
            SegmentSizeBytes = WriteAheadLogOptionsValidator.MinSegmentSizeBytes,
            MaxRecordSizeBytes = OperationGenerators.MaxRecordSizeBytes,
            SyncPolicy = SyncPolicy.Always,
            PreallocateSegments = false,
        };
        var fileSystem = new CrashOnFsyncFileSystem();
        var checker = new WalCrashModelChecker(await WriteAheadLog.OpenAsync(options, fileSystem, loggerFactory: null, timeProvider: clock), clock, options, fileSystem);
        try
        {
            await checker.RunAsync(operations);
        }
        finally
        {
            await checker.CurrentLog.DisposeAsync();
            totals.Add(checker);
        }
    }

    private sealed class CrashTotals
    {
        private readonly Lock _lock = new();

        public int Crashes { get; private set; }

        public int InsideFsync { get; private set; }

        public int CutOrZeroed { get; private set; }

        public int ZerosAppended { get; private set; }

        public int PendingPresent { get; private set; }

        public int PendingAbsent { get; private set; }

        public void Add(WalCrashModelChecker checker)
        {
            lock (_lock)
            {
                Crashes += checker.Crashes;
                InsideFsync += checker.CrashesInsideFsync;
                CutOrZeroed += checker.CrashesWithCutOrZeroedTail;
                ZerosAppended += checker.CrashesWithZerosAppended;
                PendingPresent += checker.PendingBatchesPresent;
                PendingAbsent += checker.PendingBatchesAbsent;
            }
        }

        public override string ToString() =>
            $"crashes {Crashes} (inside fsync {InsideFsync}; tail cut or zeroed {CutOrZeroed}, zeros appended {ZerosAppended}); pending batches present after reopen {PendingPresent}, absent {PendingAbsent}";
    }
}
