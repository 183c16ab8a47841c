using Actors.Wal;
using Actors.Wal.Entries;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// What the <see cref="EntryLog"/> crash-point tests share: the simulated directory and small segments, seeded payloads,
/// the walk over every recorded boundary and crash variant, and the recovery of one crash image followed by an append
/// and a second open (recovery must leave a log that accepts the next entry and keeps it).
/// </summary>
internal static class EntryLogCrashPoints
{
    /// <summary>The log directory on the simulated disk.</summary>
    public const string Directory = "/simulated/entries";

    private static readonly CrashVariant[] Variants = Enum.GetValues<CrashVariant>();

    /// <summary>Segments of five 48-byte entries: the workloads cross many segment boundaries.</summary>
    public static EntryLogOptions Options() => new() { Directory = Directory, SegmentSizeBytes = 32 + (5 * 48) };

    /// <summary>A file system over <paramref name="disk"/> with the log directory created.</summary>
    public static CrashFileSystem FileSystem(SimulatedDisk disk)
    {
        var fileSystem = new CrashFileSystem(disk);
        fileSystem.CreateDirectory(Directory);
        return fileSystem;
    }

    /// <summary>8 to 23 random bytes starting with <paramref name="counter"/>, so no two payloads are equal.</summary>
    public static byte[] Payload(long counter, Random random)
    {
        var bytes = new byte[random.Next(8, 24)];
        random.NextBytes(bytes);
        BitConverter.TryWriteBytes(bytes, counter);
        return bytes;
    }

    /// <summary>
    /// Replays the operations <paramref name="disk"/> recorded and checks the crash image of every variant at every
    /// boundary: before operation k against <paramref name="expectations"/>[k], after the last against <paramref name="final"/>.
    /// </summary>
    /// <returns>The failures, each naming seed, boundary, operation and variant; and the number of crash states checked.</returns>
    public static (List<string> Failures, int States) CheckEveryBoundary<TExpectation>(
        SimulatedDisk disk, IReadOnlyList<TExpectation> expectations, TExpectation final, int seed, Func<Dictionary<string, byte[]>, TExpectation, string?> check)
    {
        var operations = disk.Log;
        var failures = new List<string>();
        int states = 0;
        foreach (var (k, variant, image, expectation) in CrashStates(disk, expectations, final, seed))
        {
            states++;
            if (check(image, expectation) is { } failure)
            {
                var at = k < operations.Count ? $"before op {k} ({operations[k]})" : "after the last op";
                failures.Add($"seed {seed}, boundary {k} {at}, variant {variant}: {failure}");
            }
        }

        return (failures, states);
    }

    /// <summary>
    /// <see cref="CheckEveryBoundary{TExpectation}"/> for costly checks: crash state n (counted over every boundary and
    /// variant) is checked in order n mod <paramref name="orders"/>, and a state whose image, expectation (the same
    /// instance: the workload publishes a new one whenever what a crash may recover changes) and order equal an earlier
    /// state's gets that state's result without a second recovery (recovery of an image is deterministic). Every state
    /// is still checked; a failure is reported at every boundary and variant where its state occurs. The distinct states
    /// are generated in sequence and recovered side by side (<see cref="ConcurrentChecks"/>).
    /// </summary>
    /// <returns>The failures, the number of crash states, and the number of distinct ones recovered.</returns>
    public static (List<string> Failures, int States, int Recovered) CheckEveryDistinctState<TExpectation>(
        SimulatedDisk disk, IReadOnlyList<TExpectation> expectations, TExpectation final, int seed, int orders,
        Func<Dictionary<string, byte[]>, TExpectation, int, string?> check)
        where TExpectation : class
    {
        var operations = disk.Log;
        var states = new List<(int Boundary, CrashVariant Variant, string Key)>();
        IEnumerable<(string Key, Dictionary<string, byte[]> Image, TExpectation Expected, int Order)> DistinctStates()
        {
            var expectationIds = new Dictionary<TExpectation, int>(ReferenceEqualityComparer.Instance);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (boundary, variant, image, expected) in CrashStates(disk, expectations, final, seed))
            {
                var order = states.Count % orders;
                if (!expectationIds.TryGetValue(expected, out var id))
                {
                    id = expectationIds.Count;
                    expectationIds.Add(expected, id);
                }

                var key = $"{ImageHash.Of(image)}|{id}|{order}";
                states.Add((boundary, variant, key));
                if (keys.Add(key))
                {
                    yield return (key, image, expected, order);
                }
            }
        }

        var results = ConcurrentChecks.Run(DistinctStates(), state => (state.Key, Failure: check(state.Image, state.Expected, state.Order)))
            .ToDictionary(r => r.Key, r => r.Failure, StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var (boundary, variant, key) in states)
        {
            if (results[key] is { } failure)
            {
                var at = boundary < operations.Count ? $"before op {boundary} ({operations[boundary]})" : "after the last op";
                failures.Add($"seed {seed}, boundary {boundary} {at}, variant {variant}: {failure}");
            }
        }

        return (failures, states.Count, results.Count);
    }

    /// <summary>Every crash state of <paramref name="disk"/>'s recorded run, in order: boundary, variant, image and what it must hold.</summary>
    private static IEnumerable<(int Boundary, CrashVariant Variant, Dictionary<string, byte[]> Image, TExpectation Expected)> CrashStates<TExpectation>(
        SimulatedDisk disk, IReadOnlyList<TExpectation> expectations, TExpectation final, int seed)
    {
        var operations = disk.Log;
        var replay = new SimulatedDisk { Recording = false };
        var imageRandom = new Random(seed + 1);
        for (int k = 0; k <= operations.Count; k++)
        {
            if (k > 0)
            {
                replay.Replay(operations[k - 1]);
            }

            var expectation = k < operations.Count ? expectations[k] : final;
            foreach (var variant in Variants)
            {
                yield return (k, variant, replay.CrashImage(variant, imageRandom), expectation);
            }
        }
    }

    /// <summary>
    /// Opens the log on <paramref name="image"/>, runs <paramref name="inspect"/> on what recovery found, then appends one
    /// entry, syncs, and reopens: null when all of it holds, else what failed (a <see cref="WalException"/> from recovery,
    /// the inspection or the append is a failure).
    /// </summary>
    public static string? RecoverInspectAndAppend(Dictionary<string, byte[]> image, Func<EntryLog, string?> inspect)
    {
        var fileSystem = FileSystem(SimulatedDisk.FromImage(image, recording: true));
        long endLsn;
        try
        {
            using var log = EntryLog.Open(Options(), fileSystem);
            if (inspect(log) is { } failure)
            {
                return failure;
            }

            endLsn = log.EndLsn;
            log.Append(new LoggedEntry(endLsn + 1, Math.Max(log.LastEpoch, log.EnteredEpoch), new byte[] { 7 }));
            log.Sync();
        }
        catch (WalException exception)
        {
            return $"recovery or the append after it threw {exception.GetType().Name}: {exception.Message}";
        }

        using var again = EntryLog.Open(Options(), fileSystem);
        return again.EndLsn == endLsn + 1 ? null : $"after the post-crash append the log reopened ending at {again.EndLsn}, expected {endLsn + 1}";
    }

    /// <summary>Null when the entered epoch of <paramref name="log"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static string? CheckEpoch(IEntryLog log, long min, long max)
        => log.EnteredEpoch < min || log.EnteredEpoch > max ? $"entered epoch {log.EnteredEpoch} outside [{min}, {max}]" : null;
}
