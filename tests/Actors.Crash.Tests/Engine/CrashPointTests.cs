using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Xunit.Abstractions;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// Item 2 of the crash-safety issue: crash at every persistence point (CrashMonkey/ALICE style) on a simulated disk,
/// with power-loss, process-kill, partial and torn variants of the unsynced data.
/// </summary>
[Trait("Category", "Crash")]
public sealed class CrashPointTests(ITestOutputHelper output)
{
    private const string Directory = "/simulated/wal";

    /// <summary>
    /// Every boundary, four variants, space management in the background after each rotation (no explicit
    /// compaction). Torn writes keep any byte prefix without preallocation, and whole 512-byte sectors with
    /// preallocation (sector-atomic devices); the full-model sweep below tears bytes everywhere.
    /// </summary>
    [Theory]
    [InlineData(false, false, 11, 1)]
    [InlineData(false, true, 31, 1)]
    [InlineData(true, true, 23, 512)]
    public async Task Recovery_CrashAtEveryBoundaryUnderAlways_KeepsEveryAcknowledgedAppend(bool preallocate, bool concurrentGroups, int seed, int tearGranularity)
    {
        var runner = new CrashPointRunner(Options(preallocate, SyncPolicy.Always), seed, tearGranularity) { SalvageToo = true };

        await runner.RunAsync((log, workload, random) => DriveAsync(log, workload, random, concurrentGroups, compact: false));

        Report(runner);
        Assert.True(runner.Boundaries > 200, $"the workload should cross many boundaries; it crossed {runner.Boundaries}");
        Assert.True(runner.Failures.Count == 0, string.Join(Environment.NewLine, runner.Failures.Take(20)));
    }

    /// <summary>
    /// The full model: byte-granular tears (also of a preallocated segment's header) and an explicit compaction that
    /// deletes a segment between two snapshots (both found engine bugs, now fixed in the engine).
    /// </summary>
    [Theory]
    [InlineData(false, false, 11)]
    [InlineData(true, true, 23)]
    public async Task Recovery_CrashAtEveryBoundaryWithByteTearsAndCompaction_KeepsEveryAcknowledgedAppend(bool preallocate, bool concurrentGroups, int seed)
    {
        var runner = new CrashPointRunner(Options(preallocate, SyncPolicy.Always), seed, tearGranularity: 1);

        await runner.RunAsync((log, workload, random) => DriveAsync(log, workload, random, concurrentGroups, compact: true));

        Report(runner);
        Assert.True(runner.Failures.Count == 0, string.Join(Environment.NewLine, runner.Failures.Take(20)));
    }

    /// <summary>
    /// Erases (#17): after every checkpoint the stream's events up to it are erased (a synced relocation copy, then the
    /// segments holding them are compacted and deleted in the background and by the explicit compaction). An erase up to
    /// the checkpoint leaves what the stream reads unchanged, so every crash state must still hold an acknowledged prefix.
    /// </summary>
    [Fact]
    public async Task Recovery_CrashAtEveryBoundaryWithErasesAndCompaction_KeepsEveryAcknowledgedAppend()
    {
        var runner = new CrashPointRunner(Options(preallocate: false, SyncPolicy.Always), seed: 13, tearGranularity: 1);
        int erased = 0;

        await runner.RunAsync(async (log, workload, random) =>
        {
            await DriveAsync(log, workload, random, concurrentGroups: false, compact: true, onCheckpoint: async (stream, version) =>
            {
                await log.DeleteEventsToAsync(stream, version);
                erased++;
            });
        });

        Report(runner);
        Assert.True(erased >= 5, $"the workload should erase several times; it erased {erased} times");
        Assert.True(runner.Failures.Count == 0, string.Join(Environment.NewLine, runner.Failures.Take(20)));
    }

    [Fact]
    public async Task Recovery_CrashAtEveryBoundaryUnderSyncNone_KeepsWhatProcessCrashAndFsyncGuarantee()
    {
        // Under None an acknowledged append must survive a process kill; after power loss only what an fsync
        // covered (rotation, FlushAsync, the clean-shutdown fsync) must survive.
        var runner = new CrashPointRunner(Options(preallocate: true, SyncPolicy.None), seed: 37, tearGranularity: 512);

        await runner.RunAsync(async (log, workload, random) =>
        {
            await DriveAsync(log, workload, random, concurrentGroups: true, compact: false, steps: 50);
            await log.FlushAsync();
            await workload.AppendAsync(log, "s0", [new byte[500]]);
        });

        Report(runner);
        Assert.True(runner.Failures.Count == 0, string.Join(Environment.NewLine, runner.Failures.Take(20)));
    }

    private void Report(CrashPointRunner runner)
    {
        output.WriteLine(runner.Summary());
        if (Environment.GetEnvironmentVariable("ACTORS_CRASH_OPLOG") is not null)
        {
            for (int i = 0; i < runner.OperationLog.Count; i++)
            {
                output.WriteLine($"{i}: {runner.OperationLog[i]}");
            }
        }
    }

    internal static WriteAheadLogOptions Options(bool preallocate, SyncPolicy policy) => new()
    {
        Directory = Directory,
        SegmentSizeBytes = 64 * 1024,
        MaxRecordSizeBytes = 16 * 1024,
        PreallocateSegments = preallocate,
        SyncPolicy = policy,
    };

    /// <summary>
    /// A few streams, appends of 1-3 events, a checkpoint every ninth step (so old segments die and space
    /// management deletes or compacts them), a delete and later re-use of s3, an explicit compaction, and enough
    /// bytes to rotate several 64 KiB segments.
    /// </summary>
    internal static async Task DriveAsync(
        WriteAheadLog log, Workload workload, Random random, bool concurrentGroups, bool compact, int steps = 90, Func<string, long, Task>? onCheckpoint = null)
    {
        string[] streams = ["s0", "s1", "s2", "s3"];
        for (int step = 0; step < steps; step++)
        {
            if (step == 35 && workload.VersionOf("s3") > 0)
            {
                await workload.DeleteAsync(log, "s3");
            }
            else if (compact && step == steps - 15)
            {
                await log.CompactAsync();
            }
            else if (step % 9 == 8)
            {
                var candidates = streams.Where(s => workload.VersionOf(s) > 0 && workload.VersionOf(s) >= workload.MinimumCheckpointVersion(s)).ToArray();
                if (candidates.Length > 0)
                {
                    string s = candidates[random.Next(candidates.Length)];
                    await workload.CheckpointAsync(log, s, workload.VersionOf(s), RandomBytes(random, 100, 400));
                    if (onCheckpoint is not null)
                    {
                        await onCheckpoint(s, workload.VersionOf(s));
                    }
                }
            }
            else if (concurrentGroups && step % 4 == 0)
            {
                await Task.WhenAll(streams.Take(3).Select(s => workload.AppendAsync(log, s, RandomEvents(random))).ToArray());
            }
            else
            {
                await workload.AppendAsync(log, streams[random.Next(streams.Length)], RandomEvents(random));
            }
        }
    }

    private static byte[][] RandomEvents(Random random)
        => Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomBytes(random, 300, 1500)).ToArray();

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        byte[] bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        return bytes;
    }
}
