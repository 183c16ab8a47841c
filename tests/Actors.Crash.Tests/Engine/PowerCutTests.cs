using System.Globalization;
using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Xunit.Abstractions;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// Issue 62 part 3, power loss: a seeded workload of appends, checkpoints, erases (<see cref="IEventLog.DeleteEventsToAsync"/>),
/// checkpoint deletions, a stream deletion and a compaction runs on the simulated disk, which keeps what is not durable
/// apart (file contents and sizes not fsynced; creations, renames and deletions whose directory was not fsynced). The power
/// is cut just before every fsync and directory fsync of the run, and each time the disk keeps what was durable plus, per
/// variant, nothing more, everything, a random prefix of each file's and the directory's pending operations, or all but a
/// torn last write. The log must open on what survived, hold every acknowledged write (the acknowledged-prefix rule per
/// stream, erases included), never show an acknowledged-deleted checkpoint again, accept an append and reopen the same,
/// and hold the same state and that append after a second power cut right after the append (recovery's repairs durable).
/// </summary>
/// <remarks>
/// More seeds: <c>scripts/power-cut-campaign.sh</c> (sets <c>ACTORS_POWERCUT_SEEDS</c>). The two <c>Dropped</c> tests run
/// the same check with one fsync left out and must find a loss: the check is not one that always passes.
/// </remarks>
[Trait("Category", "Crash")]
public sealed class PowerCutTests(ITestOutputHelper output)
{
    private const string Directory = "/simulated/powercut";

    /// <summary>Seeds: <c>ACTORS_POWERCUT_SEEDS</c> ("first-last" or a comma list), else three.</summary>
    public static IEnumerable<object[]> Seeds()
    {
        string? spec = Environment.GetEnvironmentVariable("ACTORS_POWERCUT_SEEDS");
        if (string.IsNullOrWhiteSpace(spec))
        {
            return [[1], [2], [3]];
        }

        if (spec.Split('-') is [var first, var last])
        {
            int from = int.Parse(first, CultureInfo.InvariantCulture);
            int to = int.Parse(last, CultureInfo.InvariantCulture);
            return Enumerable.Range(from, to - from + 1).Select(s => new object[] { s });
        }

        return spec.Split(',').Select(s => new object[] { int.Parse(s, CultureInfo.InvariantCulture) });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Recovery_PowerCutBeforeEveryFsync_KeepsEveryAcknowledgedWrite(int seed)
    {
        var counts = new DriveCounts();
        var runner = new CrashPointRunner(Options(seed), seed, tearGranularity: seed % 2 == 0 ? 512 : 1)
        {
            OnlyBeforeSyncs = true,
            CutAfterRecovery = true,
            LiveFileSystem = fs => new PowerCutFileSystem(fs),
            RecoveryFileSystem = fs => new PowerCutFileSystem(fs),
        };

        await runner.RunAsync((log, workload, random) => DriveAsync(log, workload, random, counts));

        output.WriteLine($"seed {seed}: {counts}; {runner.Summary()}");
        var written = runner.OperationLog.Where(o => o.Kind is DiskOpKind.Create or DiskOpKind.Rename)
            .Select(o => Path.GetFileName(o.Destination ?? o.Path)).ToHashSet(StringComparer.Ordinal);
        Assert.True(written.Any(n => n.EndsWith(".wal", StringComparison.Ordinal)) && written.Contains(WriteAheadLog.LockFileName)
            && written.Contains("segments.manifest") && written.Contains("index.snapshot") && written.Contains("erasure.scans"),
            $"the run should write every kind of file the engine writes; it wrote {string.Join(", ", written.Order())}");
        Assert.True(counts.Erases > 0 && counts.CheckpointDeletions > 0 && counts.StreamDeletions > 0, $"the workload should delete in every way: {counts}");
        Assert.True(runner.Failures.Count == 0, $"seed {seed}: " + string.Join(Environment.NewLine, runner.Failures.Take(20)));
    }

    /// <summary>A segment fsync left out (the 12th fsync of a segment file): the acknowledged appends it should have made durable are lost at some cut.</summary>
    [Fact]
    public async Task Recovery_OneSegmentFsyncDropped_PowerCutFindsTheLoss()
    {
        // ACTORS_POWERCUT_DROP_FILE=suffix:n drops the n-th fsync of the files ending with suffix instead (the campaign's sweeps).
        string[] drop = (Environment.GetEnvironmentVariable("ACTORS_POWERCUT_DROP_FILE") ?? ".wal:12").Split(':');
        var dropping = await RunDroppingAsync(fs => new PowerCutFileSystem(fs)
        {
            FileFsyncFilter = path => path.EndsWith(drop[0], StringComparison.Ordinal),
            DropFileFsync = int.Parse(drop[1], CultureInfo.InvariantCulture),
        });

        Assert.NotNull(dropping.FileSystem?.Dropped);
        Assert.True(dropping.Runner.Failures.Count > 0, $"dropping {dropping.FileSystem!.Dropped} went unnoticed: {dropping.Runner.Summary()}");
    }

    /// <summary>A directory fsync left out: a file name (a new segment's) is not durable while the log relies on it.</summary>
    [Fact]
    public async Task Recovery_OneDirectoryFsyncDropped_PowerCutFindsTheLoss()
    {
        var dropping = await RunDroppingAsync(fs => new PowerCutFileSystem(fs)
        {
            DropDirectorySync = DroppedDirectorySync,
            DropLaterDirectorySyncsToo = Environment.GetEnvironmentVariable("ACTORS_POWERCUT_DROP_DIRSYNC_ALONE") is null,
        });

        Assert.NotNull(dropping.FileSystem?.Dropped);
        Assert.True(dropping.Runner.Failures.Count > 0, $"dropping {dropping.FileSystem!.Dropped} went unnoticed: {dropping.Runner.Summary()}");
    }

    /// <summary>
    /// The directory fsyncs of a <see cref="WriteAheadLog.CompactAsync"/> from its deletion of a segment holding erased
    /// events (found by their bytes) until it returns are left out: a power cut after it returned brings the file back,
    /// with the erased events in it, and the check finds them. (Leaving out only the one right after the deletion is not
    /// caught: the pass's own later directory fsyncs, when it has any, cover the deletion before it returns.)
    /// </summary>
    [Fact]
    public async Task Recovery_DirectoryFsyncsAfterErasedSegmentDeletedDropped_PowerCutFindsTheErasedData()
    {
        PowerCutFileSystem? live = null;
        var dropping = await RunDroppingAsync(fs => live = new PowerCutFileSystem(fs), aroundCompaction: workload =>
        {
            var erased = workload.ErasedPayloads().Select(e => e.Payload).ToList();
            Assert.NotEmpty(erased);
            live!.KeepDroppingDirectorySyncs = true;
            live.DropDirectorySyncAfterDeleting = path => path.EndsWith(".wal", StringComparison.Ordinal)
                && live.Inner.Disk.Content(path) is var content && erased.Exists(p => content.AsSpan().IndexOf(p) >= 0);
            return () => live.KeepDroppingDirectorySyncs = false;
        });

        Assert.NotNull(dropping.FileSystem?.Dropped);
        Assert.True(
            dropping.Runner.Failures.Exists(f => f.Contains("erased before a CompactAsync", StringComparison.Ordinal)),
            $"dropping {dropping.FileSystem!.Dropped} went unnoticed: {dropping.Runner.Summary()}");
    }

    /// <summary>The directory fsync the dropping test leaves out (<c>ACTORS_POWERCUT_DROP_DIRSYNC</c> for the campaign's sweeps).</summary>
    private static int DroppedDirectorySync => int.TryParse(Environment.GetEnvironmentVariable("ACTORS_POWERCUT_DROP_DIRSYNC"), CultureInfo.InvariantCulture, out int n) ? n : 1;

    private async Task<(CrashPointRunner Runner, PowerCutFileSystem? FileSystem)> RunDroppingAsync(Func<CrashFileSystem, PowerCutFileSystem> wrap, Func<Workload, Action>? aroundCompaction = null)
    {
        const int seed = 1;
        PowerCutFileSystem? live = null;
        var runner = new CrashPointRunner(Options(seed), seed, tearGranularity: 1)
        {
            OnlyBeforeSyncs = true,
            LiveFileSystem = fs => live = wrap(fs),
            RecoveryFileSystem = fs => new PowerCutFileSystem(fs),
        };

        await runner.RunAsync((log, workload, random) => DriveAsync(log, workload, random, new DriveCounts(), steps: 40, aroundCompaction));
        output.WriteLine($"dropped {live?.Dropped ?? "nothing"}: {runner.Summary()}");
        foreach (string failure in runner.Failures.Take(3))
        {
            output.WriteLine(failure);
        }

        if (Environment.GetEnvironmentVariable("ACTORS_CRASH_OPLOG") is not null)
        {
            for (int i = 0; i < runner.OperationLog.Count; i++)
            {
                output.WriteLine($"{i}: {runner.OperationLog[i]}");
            }
        }

        return (runner, live);
    }

    private static WriteAheadLogOptions Options(int seed) => new()
    {
        Directory = Directory,
        SegmentSizeBytes = 64 * 1024,
        MaxRecordSizeBytes = 16 * 1024,
        PreallocateSegments = seed % 2 == 0,
        SyncPolicy = SyncPolicy.Always,
        SnapshotDeltaMinStreams = 2, // index.delta as well as index.snapshot
    };

    /// <summary>
    /// Appends of 1-3 events (some concurrent, for group commit), checkpoints, erases beyond a checkpoint, deletions of older
    /// checkpoints, a deletion of s3 and a compaction near the end, chosen by <paramref name="random"/>.
    /// </summary>
    private static async Task DriveAsync(WriteAheadLog log, Workload workload, Random random, DriveCounts counts, int steps = 70, Func<Workload, Action>? aroundCompaction = null)
    {
        string[] streams = ["s0", "s1", "s2", "s3"];
        var checkpoints = streams.ToDictionary(s => s, _ => new List<long>(), StringComparer.Ordinal);
        for (int step = 0; step < steps; step++)
        {
            string s = streams[random.Next(3)];
            int roll = random.Next(100);
            if (step >= steps / 2 && counts.Erases == 0 && streams.Take(3).FirstOrDefault(x => checkpoints[x].Count > 0 && workload.VersionOf(x) > checkpoints[x][^1]) is { } eligible)
            {
                s = eligible; // every run erases at least once
                roll = 20;
            }
            else if (step >= steps / 2 && counts.CheckpointDeletions == 0)
            {
                // Every run deletes a checkpoint at least once: delete an older one, or write a newer one to make one older.
                if (streams.Take(3).FirstOrDefault(x => checkpoints[x].Count > 1 && checkpoints[x][0] < checkpoints[x][^1]) is { } withOlder)
                {
                    (s, roll) = (withOlder, 25);
                }
                else if (streams.Take(3).FirstOrDefault(x => workload.VersionOf(x) > 0 && workload.VersionOf(x) > checkpoints[x].LastOrDefault()) is { } checkpointable)
                {
                    (s, roll) = (checkpointable, 0);
                }
            }

            if (step == steps / 3)
            {
                if (workload.VersionOf("s3") == 0)
                {
                    await workload.AppendAsync(log, "s3", Events(random));
                }

                await workload.DeleteAsync(log, "s3");
                checkpoints["s3"].Clear();
                counts.StreamDeletions += workload.AllItems[^1].Acked ? 1 : 0;
            }
            else if (step == steps - 8)
            {
                Action? afterCompaction = aroundCompaction?.Invoke(workload);
                await workload.CompactAsync(log);
                afterCompaction?.Invoke();
            }
            else if (roll < 14 && workload.VersionOf(s) >= Math.Max(1, workload.MinimumCheckpointVersion(s)))
            {
                await workload.CheckpointAsync(log, s, workload.VersionOf(s), Bytes(random, 100, 400));
                if (workload.AllItems[^1].Acked)
                {
                    checkpoints[s].Add(workload.VersionOf(s));
                }
            }
            else if (roll < 22 && checkpoints[s].Count > 0 && workload.VersionOf(s) > checkpoints[s][^1])
            {
                long from = checkpoints[s][^1];
                await workload.EraseAsync(log, s, random.NextInt64(from, workload.VersionOf(s) + 1));
                counts.Erases += workload.AllItems[^1].Acked ? 1 : 0;
            }
            else if (roll < 28 && checkpoints[s].Count > 1 && checkpoints[s][0] < checkpoints[s][^1])
            {
                // An older checkpoint (a version below the newest's: a selection by version takes every checkpoint of it).
                var older = checkpoints[s].Where(v => v < checkpoints[s][^1]).Distinct().ToArray();
                long version = older[random.Next(older.Length)];
                await workload.DeleteCheckpointAsync(log, s, version);
                checkpoints[s].RemoveAll(v => v == version);
                counts.CheckpointDeletions += workload.AllItems[^1].Acked ? 1 : 0;
            }
            else if (roll < 40)
            {
                await Task.WhenAll(streams.Take(3).Select(x => workload.AppendAsync(log, x, Events(random))).ToArray());
            }
            else
            {
                await workload.AppendAsync(log, streams[random.Next(streams.Length)], Events(random));
            }
        }
    }

    private static byte[][] Events(Random random) => Enumerable.Range(0, random.Next(1, 4)).Select(_ => Bytes(random, 300, 1500)).ToArray();

    private static byte[] Bytes(Random random, int min, int max)
    {
        byte[] bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class DriveCounts
    {
        public int Erases { get; set; }

        public int CheckpointDeletions { get; set; }

        public int StreamDeletions { get; set; }

        public override string ToString() => $"{Erases} erases, {CheckpointDeletions} checkpoint deletions, {StreamDeletions} stream deletions";
    }
}
