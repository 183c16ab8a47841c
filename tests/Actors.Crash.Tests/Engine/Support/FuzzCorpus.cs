using Actors.Wal;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// Valid logs (as simulated-disk images) that the fuzzer mutates: a small crashed log, a small cleanly closed log
/// with index.snapshot, a preallocated multi-segment log with checkpoints, a delete and compaction (Relocated and
/// Seal records), and the same abandoned mid-way.
/// </summary>
internal sealed class FuzzCorpus
{
    public const string Directory = "/fuzz/wal";

    private FuzzCorpus(List<Dictionary<string, byte[]>> images, List<string> streams)
    {
        Images = images;
        Streams = streams;
    }

    public IReadOnlyList<Dictionary<string, byte[]>> Images { get; }

    /// <summary>Stream ids of the corpus (reads target them, plus a few unknown ones).</summary>
    public IReadOnlyList<string> Streams { get; }

    public static async Task<FuzzCorpus> BuildAsync()
    {
        var images = new List<Dictionary<string, byte[]>>();
        var streams = new HashSet<string>(StringComparer.Ordinal);
        images.Add(await ImageAsync(Options(false), clean: false, streams, (log, w) => DamageHarness.SmallHistoryAsync(log, w)));
        images.Add(await ImageAsync(Options(false), clean: true, streams, (log, w) => DamageHarness.SmallHistoryAsync(log, w)));
        images.Add(await ImageAsync(Options(true), clean: true, streams, (log, w) => CrashPointTests.DriveAsync(log, w, new Random(3), concurrentGroups: true, compact: true, steps: 70)));
        images.Add(await ImageAsync(Options(false), clean: false, streams, (log, w) => CrashPointTests.DriveAsync(log, w, new Random(4), concurrentGroups: false, compact: true, steps: 70)));
        return new FuzzCorpus(images, [.. streams.Order(StringComparer.Ordinal), "unknown", "s0\0"]);
    }

    public static WriteAheadLogOptions Options(bool preallocate, RecoveryMode mode = RecoveryMode.TolerateTornTail, bool readOnly = false) => new()
    {
        Directory = Directory,
        SegmentSizeBytes = 64 * 1024,
        MaxRecordSizeBytes = 16 * 1024,
        PreallocateSegments = preallocate,
        RecoveryMode = mode,
        ReadOnly = readOnly,
    };

    private static async Task<Dictionary<string, byte[]>> ImageAsync(WriteAheadLogOptions options, bool clean, HashSet<string> streams, Func<WriteAheadLog, Workload, Task> drive)
    {
        var disk = new SimulatedDisk { Recording = false };
        var fs = new CrashFileSystem(disk);
        fs.CreateDirectory(options.Directory);
        var workload = new Workload(() => 0);
        var log = await WriteAheadLog.OpenAsync(options, fs);
        await drive(log, workload);
        if (clean)
        {
            await log.DisposeAsync();
        }
        else
        {
            await log.AbandonAsync();
        }

        streams.UnionWith(workload.Streams.Keys);
        return disk.CrashImage(CrashVariant.ProcessCrash, new Random(0));
    }
}
