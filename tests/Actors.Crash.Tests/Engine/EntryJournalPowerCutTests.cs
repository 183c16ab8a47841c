using System.Diagnostics;
using System.Globalization;
using Actors.Crash.Tests.Engine.Support;
using Actors.Wal.Entries.Journal;
using Xunit.Abstractions;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// Issue 61, power loss on replicated silos: the <see cref="EntryJournal"/> every replica of a silo writes to, cut off
/// while three owners use it at once as replicas do (<see cref="JournalPowerCutWorkload"/>: appends acknowledged by the
/// journal's sync callback, checkpoints and prefix deletions that reclaim segments, installs, entered epochs,
/// truncations, restarts cut after the last synced entry, whole-journal restarts). The power is cut just before every
/// fsync and directory fsync, and on each of four crash images every log must hold each acknowledged entry in order with
/// its bytes and nothing never appended or removed before, a checkpoint no older than the last acknowledged, an entered
/// epoch no lower than the last acknowledged, accept its next entry at the next LSN, and keep all of it through a second
/// cut right after that entry was acknowledged (<see cref="JournalPowerCutRunner"/>).
/// </summary>
/// <remarks>
/// The runs are concurrent, so two runs of a seed differ; a failure names the cut, the operation and the variant, and
/// <c>ACTORS_CRASH_OPLOG</c> prints the operations of the dropping tests' run. More seeds:
/// <c>ACTORS_POWERCUT_TARGET=journal scripts/power-cut-campaign.sh 1-100</c>.
/// </remarks>
[Trait("Category", "Crash")]
public sealed class EntryJournalPowerCutTests(ITestOutputHelper output)
{
    private const int StepsPerPhase = 40;

    [Theory]
    [MemberData(nameof(PowerCutTests.Seeds), MemberType = typeof(PowerCutTests))]
    public async Task Recovery_PowerCutBeforeEveryFsyncOfTheJournal_KeepsEveryAcknowledgedEntryCheckpointAndEpoch(int seed)
    {
        var clock = Stopwatch.StartNew();
        var runner = new JournalPowerCutRunner(seed, StepsPerPhase, tearGranularity: seed % 2 == 0 ? 512 : 1);

        await runner.RunAsync();

        output.WriteLine($"seed {seed}: {runner.Summary()}, {clock.Elapsed.TotalSeconds:F1} s");
        if (runner.Failures.Count > 0 && Environment.GetEnvironmentVariable("ACTORS_CRASH_OPLOG") is not null)
        {
            for (var i = 0; i < runner.OperationLog.Count; i++)
            {
                output.WriteLine($"{i}: {runner.OperationLog[i]}");
            }
        }

        var log = runner.OperationLog;
        var created = log.Count(o => o.Kind == DiskOpKind.Create && o.Path.EndsWith(EntryJournalFormat.SegmentSuffix, StringComparison.Ordinal));
        var deleted = log.Count(o => o.Kind == DiskOpKind.Delete && o.Path.EndsWith(EntryJournalFormat.SegmentSuffix, StringComparison.Ordinal));
        Assert.True(
            runner.Workload!.CoveredEverything && created > 5 && deleted > 2,
            $"the run must roll over ({created} segments created) and reclaim ({deleted} deleted) segments, and do every kind of step: {runner.Workload.Summary}");
        Assert.True(runner.Failures.Count == 0, string.Join(Environment.NewLine, runner.Failures.Take(20)));
    }

    /// <summary>
    /// The fsyncs of journal segments left out from the 3rd on (<c>ACTORS_POWERCUT_DROP_FILE=n</c> from another): entries
    /// acknowledged as durable are gone at some cut. (A single one left out is caught only when the next cut falls before
    /// the next fsync of that segment, which covers it: how soon that comes depends on the run's timing.)
    /// </summary>
    [Fact]
    public async Task Recovery_JournalSegmentFsyncsDropped_PowerCutFindsTheLoss()
    {
        var n = int.TryParse(Environment.GetEnvironmentVariable("ACTORS_POWERCUT_DROP_FILE"), CultureInfo.InvariantCulture, out var value) ? value : 3;
        var (runner, dropped) = await RunDroppingAsync(fs => new PowerCutFileSystem(fs)
        {
            FileFsyncFilter = path => path.EndsWith(EntryJournalFormat.SegmentSuffix, StringComparison.Ordinal),
            DropFileFsync = n,
            DropLaterFileFsyncsToo = true,
        });

        Assert.NotNull(dropped);
        Assert.True(runner.Failures.Count > 0, $"dropping {dropped} went unnoticed: {runner.Summary()}");
    }

    /// <summary>The directory fsyncs left out from the first on: the names of new segments, epoch and checkpoint files are not durable while the journal relies on them.</summary>
    [Fact]
    public async Task Recovery_DirectoryFsyncsDropped_PowerCutFindsTheLoss()
    {
        var (runner, dropped) = await RunDroppingAsync(fs => new PowerCutFileSystem(fs) { DropDirectorySync = 1, DropLaterDirectorySyncsToo = true });

        Assert.NotNull(dropped);
        Assert.True(runner.Failures.Count > 0, $"dropping {dropped} went unnoticed: {runner.Summary()}");
    }

    private async Task<(JournalPowerCutRunner Runner, string? Dropped)> RunDroppingAsync(Func<CrashFileSystem, PowerCutFileSystem> wrap)
    {
        PowerCutFileSystem? live = null;
        var runner = new JournalPowerCutRunner(seed: 1, StepsPerPhase, tearGranularity: 1);
        await runner.RunAsync(fs => live = wrap(fs));
        output.WriteLine($"dropped {live?.Dropped ?? "nothing"}: {runner.Summary()}");
        foreach (var failure in runner.Failures.Take(3))
        {
            output.WriteLine(failure);
        }

        if (Environment.GetEnvironmentVariable("ACTORS_CRASH_OPLOG") is not null)
        {
            for (var i = 0; i < runner.OperationLog.Count; i++)
            {
                output.WriteLine($"{i}: {runner.OperationLog[i]}");
            }
        }

        return (runner, live?.Dropped);
    }
}
