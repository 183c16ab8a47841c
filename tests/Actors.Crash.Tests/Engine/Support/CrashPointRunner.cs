using Actors.Wal;
using Actors.Wal.IO;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// Runs a workload on a <see cref="SimulatedDisk"/>, then for every recorded boundary builds the post-crash disk
/// images of each <see cref="CrashVariant"/>, recovers a real <see cref="WriteAheadLog"/> on each and checks the
/// acknowledged-prefix rule, that recovery never throws, that the recovered log accepts appends, and that a second
/// open after recovery's own repairs yields the same state.
/// </summary>
internal sealed class CrashPointRunner(WriteAheadLogOptions options, int seed, int tearGranularity = 1)
{
    private static readonly CrashVariant[] Variants = Enum.GetValues<CrashVariant>();
    private readonly List<long> _durableAt = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _salvageRecoveries;
    private int _tornTailsReported;

    public List<string> Failures { get; } = [];

    /// <summary>Also recover every distinct image in <see cref="RecoveryMode.Salvage"/> (a crash state must recover the same way).</summary>
    public bool SalvageToo { get; init; }

    /// <summary>Wraps the live run's file system (a power-cut run's lock file on disk, a dropped fsync); null: none.</summary>
    public Func<CrashFileSystem, IFileSystem>? LiveFileSystem { get; init; }

    /// <summary>Wraps each recovery's file system; null: none.</summary>
    public Func<CrashFileSystem, IFileSystem>? RecoveryFileSystem { get; init; }

    /// <summary>
    /// Cut only just before each file or directory fsync (where the most un-synced data is at stake) and after the last
    /// operation, instead of at every operation: the power-cut runs, which cover more seeds.
    /// </summary>
    public bool OnlyBeforeSyncs { get; init; }

    /// <summary>
    /// Also cut the power again right after the recovered log acknowledged its first append (before it closes): recovery's
    /// own repairs (a cut tail, a rewritten manifest) must be durable before it serves, so a log opened on what survives
    /// that second cut holds the same state and the append.
    /// </summary>
    public bool CutAfterRecovery { get; init; }

    public int Boundaries { get; private set; }

    public int StatesChecked { get; private set; }

    public int RecoveriesExecuted { get; private set; }

    public int SalvageRecoveries => Volatile.Read(ref _salvageRecoveries);

    public int TornTailsReported => Volatile.Read(ref _tornTailsReported);

    /// <summary>The recorded boundaries of the workload run (for failure reports).</summary>
    public IReadOnlyList<DiskOp> OperationLog { get; private set; } = [];

    /// <summary>Runs <paramref name="drive"/> on a fresh simulated disk and checks every crash point.</summary>
    public async Task RunAsync(Func<WriteAheadLog, Workload, Random, Task> drive)
    {
        var disk = new SimulatedDisk();
        var crashFs = new CrashFileSystem(disk);
        crashFs.CreateDirectory(options.Directory);
        var fs = LiveFileSystem?.Invoke(crashFs) ?? crashFs;
        WriteAheadLog? live = null;
        disk.BeforeOperation = _ => _durableAt.Add(live?.DurableLsn ?? 0);
        var workload = new Workload(() => disk.OperationCount);
        live = await WriteAheadLog.OpenAsync(options, fs);
        await drive(live, workload, new Random(seed));
        await live.DisposeAsync();
        long finalDurable = live.DurableLsn;
        var log = disk.Log;
        Boundaries = log.Count + 1;
        OperationLog = log;

        var results = await ConcurrentChecks.RunAsync(CrashStates(log, workload, finalDurable), CheckAsync);
        Failures.AddRange(results.OfType<string>());
    }

    /// <summary>
    /// The distinct crash states, boundary by boundary and variant by variant, from one replay with the seeded randomness;
    /// an image whose content and requirement equal an earlier one's is counted but not yielded again.
    /// </summary>
    private IEnumerable<CrashState> CrashStates(IReadOnlyList<DiskOp> log, Workload workload, long finalDurable)
    {
        var replay = new SimulatedDisk { Recording = false };
        var random = new Random(seed + 1);
        for (int k = 0; k <= log.Count; k++)
        {
            if (k > 0)
            {
                replay.Replay(log[k - 1]);
            }

            if (OnlyBeforeSyncs && k < log.Count && log[k].Kind is not (DiskOpKind.Fsync or DiskOpKind.DirSync))
            {
                continue;
            }

            long durable = k < log.Count ? _durableAt[k] : finalDurable;
            foreach (var variant in Variants)
            {
                bool processCrash = variant == CrashVariant.ProcessCrash;
                bool ackMeansDurable = options.SyncPolicy == SyncPolicy.Always;
                int boundary = k;
                bool Required(WorkItem item) => item.LastLsn <= durable || ((processCrash || ackMeansDurable) && item.AckedAtOp <= boundary);
                var image = replay.CrashImage(variant, random, tearGranularity);
                StatesChecked++;
                var erased = workload.ErasedBy(boundary).ToList();
                string key = Key(image, workload, Required) + "|" + erased.Count;
                if (!_seen.Add(key))
                {
                    continue;
                }

                RecoveriesExecuted++;
                string at = k < log.Count ? $"before op {k} ({log[k]})" : "after the last op";
                yield return new CrashState($"boundary {k} {at}, variant {variant}", image, erased, workload, Required);
            }
        }
    }

    /// <summary>Recovers one crash state (and again in Salvage when asked): null when every check holds, else what failed and where.</summary>
    private async Task<string?> CheckAsync(CrashState state)
    {
        string? failure = ErasedDataIn(state.Image, state.Erased) ?? await RecoverAndCheckAsync(state.Image, state.Workload, state.Required, options);
        if (failure is null && SalvageToo)
        {
            Interlocked.Increment(ref _salvageRecoveries);
            failure = await RecoverAndCheckAsync(state.Image, state.Workload, state.Required, WithMode(RecoveryMode.Salvage));
            failure = failure is null ? null : "Salvage: " + failure;
        }

        return failure is null ? null : $"{state.Where}: {failure}";
    }

    public string Summary() => $"boundaries {Boundaries} x variants {Variants.Length} = {StatesChecked} crash states checked, "
        + $"{RecoveriesExecuted} distinct images recovered in {options.RecoveryMode} (identical image + requirement deduplicated), {SalvageRecoveries} again in Salvage, "
        + $"each followed by an append and a second open; {TornTailsReported} recoveries reported a torn tail; {Failures.Count} failures";

    private WriteAheadLogOptions WithMode(RecoveryMode mode) => new()
    {
        Directory = options.Directory,
        SegmentSizeBytes = options.SegmentSizeBytes,
        MaxRecordSizeBytes = options.MaxRecordSizeBytes,
        PreallocateSegments = options.PreallocateSegments,
        SyncPolicy = options.SyncPolicy,
        RecoveryMode = mode,
    };

    private async Task<string?> RecoverAndCheckAsync(Dictionary<string, byte[]> image, Workload workload, Func<WorkItem, bool> required, WriteAheadLogOptions options)
    {
        var crashFs = new CrashFileSystem(SimulatedDisk.FromImage(image, recording: true));
        crashFs.CreateDirectory(options.Directory);
        var fs = RecoveryFileSystem?.Invoke(crashFs) ?? crashFs;
        var chosen = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<string, byte[]>? afterCut = null;
        WriteAheadLog log;
        try
        {
            log = await WriteAheadLog.OpenAsync(options, fs);
        }
        catch (Exception ex)
        {
            return $"recovery threw {ex.GetType().Name}: {ex.Message}";
        }

        try
        {
            if (log.GetStatistics().Recovery.TruncatedBytes > 0)
            {
                Interlocked.Increment(ref _tornTailsReported);
            }

            string? problem = await workload.CheckAsync(log, required, chosen);
            if (problem is not null)
            {
                return problem;
            }

            await log.AppendAsync("post-crash", ExpectedVersion.NoStream, [new byte[] { 1, 2, 3 }]);
            afterCut = CutAfterRecovery ? crashFs.Disk.CrashImage(CrashVariant.DurableOnly, new Random(0)) : null;
        }
        catch (Exception ex)
        {
            return $"reading or appending after recovery threw {ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            await log.DisposeAsync();
        }

        try
        {
            await using var again = await WriteAheadLog.OpenAsync(options, fs);
            var chosenAgain = new Dictionary<string, int>(StringComparer.Ordinal);
            string? problem = await workload.CheckAsync(again, required, chosenAgain);
            if (problem is not null || chosen.Any(c => chosenAgain[c.Key] != c.Value))
            {
                return $"the second open after recovery differs: {problem ?? "another prefix matched"}";
            }

            var post = await again.ReadStreamAsync("post-crash");
            if (post.Version != 1 || !post.Events[0].Payload.Span.SequenceEqual(new byte[] { 1, 2, 3 }))
            {
                return $"the append made after recovery was not found after reopening (version {post.Version})";
            }
        }
        catch (Exception ex)
        {
            return $"the second open after recovery threw {ex.GetType().Name}: {ex.Message}";
        }

        return afterCut is null ? null : await OpenAfterSecondCutAsync(afterCut, workload, required, chosen, options);
    }

    private async Task<string?> OpenAfterSecondCutAsync(
        Dictionary<string, byte[]> image, Workload workload, Func<WorkItem, bool> required, Dictionary<string, int> chosen, WriteAheadLogOptions options)
    {
        var crashFs = new CrashFileSystem(SimulatedDisk.FromImage(image, recording: false));
        crashFs.CreateDirectory(options.Directory);
        try
        {
            await using var log = await WriteAheadLog.OpenAsync(options, RecoveryFileSystem?.Invoke(crashFs) ?? crashFs);
            var chosenAgain = new Dictionary<string, int>(StringComparer.Ordinal);
            string? problem = await workload.CheckAsync(log, required, chosenAgain);
            if (problem is not null || chosen.Any(c => chosenAgain[c.Key] != c.Value))
            {
                return $"after a power cut right after recovery the state differs from what recovery served: {problem ?? "another prefix matched"}";
            }

            var post = await log.ReadStreamAsync("post-crash");
            return post.Version == 1 ? null : $"after a power cut right after recovery the append acknowledged by the recovered log is gone (version {post.Version})";
        }
        catch (Exception ex)
        {
            return $"the open after a power cut right after recovery threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>
    /// A file of <paramref name="image"/> that still holds the payload of an event an acknowledged compaction removed (an
    /// erase), or null. Payloads are random bytes, so a match is the event itself.
    /// </summary>
    private static string? ErasedDataIn(Dictionary<string, byte[]> image, IEnumerable<(string Stream, long Version, byte[] Payload)> erased)
    {
        foreach (var (stream, version, payload) in erased)
        {
            foreach (var (path, content) in image)
            {
                if (content.AsSpan().IndexOf(payload) >= 0)
                {
                    return $"'{Path.GetFileName(path)}' still holds event {version} of {stream}, erased before a CompactAsync that returned before the cut";
                }
            }
        }

        return null;
    }

    private static string Key(Dictionary<string, byte[]> image, Workload workload, Func<WorkItem, bool> required)
    {
        string requirement = string.Join(",", workload.Streams.Select(s => s.Value.FindLastIndex(i => required(i))));
        return ImageHash.Of(image).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + requirement;
    }

    /// <summary>One distinct crash state: where it was cut, its image, the erased events it must not hold, and what it must hold.</summary>
    private sealed record CrashState(
        string Where, Dictionary<string, byte[]> Image, List<(string Stream, long Version, byte[] Payload)> Erased, Workload Workload, Func<WorkItem, bool> Required);
}
