using System.Globalization;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Testing.PowerCut;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Actors.Orleans.Tests.Log;

/// <summary>
/// Power loss through the providers: a TestingHost silo whose log runs on the power-cut simulator
/// (<see cref="PowerCutFileSystem"/> over a <see cref="SimulatedDisk"/>) takes a seeded run of <see cref="IPersistentState{TState}"/>
/// writes and <c>JournaledGrain</c> event batches (with checkpoints, rotations, snapshots and manifest writes). The power is
/// then cut just before a few of the run's fsyncs and directory fsyncs (seeded), the disk keeping only what was durable, a
/// random prefix of what was not, or all of it with the last write torn; a new silo opens on what survived and every grain's
/// state and journal must be exactly what some prefix of its writes made, holding every write acknowledged before the cut:
/// nothing acknowledged lost, nothing there that was never written, nothing twice.
/// </summary>
/// <remarks>
/// More seeds and cut points: <c>ACTORS_SILO_POWERCUT_SEEDS</c> ("first-last" or a comma list) and
/// <c>ACTORS_SILO_POWERCUT_CUTS</c> (cut points per seed; default 3). The engine-level campaign covers every fsync boundary
/// (tests/Actors.Crash.Tests, <c>PowerCutTests</c>); this one shows the providers' records recover through Orleans.
/// </remarks>
[Trait("Category", "Crash")]
public sealed class SiloLogPowerCutTests(ITestOutputHelper output)
{
    private static readonly CrashVariant[] CutVariants = [CrashVariant.DurableOnly, CrashVariant.RandomPrefix, CrashVariant.TornLastWrite];

    public static IEnumerable<object[]> Seeds()
    {
        string? spec = Environment.GetEnvironmentVariable("ACTORS_SILO_POWERCUT_SEEDS");
        if (string.IsNullOrWhiteSpace(spec))
        {
            return [[1]];
        }

        if (spec.Split('-') is [var first, var last])
        {
            int from = int.Parse(first, CultureInfo.InvariantCulture);
            return Enumerable.Range(from, int.Parse(last, CultureInfo.InvariantCulture) - from + 1).Select(s => new object[] { s });
        }

        return spec.Split(',').Select(s => new object[] { int.Parse(s, CultureInfo.InvariantCulture) });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task GrainWrites_PowerCutAtFsyncBoundaries_EveryAcknowledgedWriteRecoveredExactlyOnce(int seed)
    {
        int cuts = int.TryParse(Environment.GetEnvironmentVariable("ACTORS_SILO_POWERCUT_CUTS"), CultureInfo.InvariantCulture, out int n) ? n : 3;
        var disk = new SimulatedDisk();
        var writes = new List<GrainWrite>();
        int workloadStart;
        int workloadEnd;
        var live = new CrashFileSystem(disk);
        live.CreateDirectory(SimulatedDiskCluster.Directory);
        await using (var cluster = await SimulatedDiskCluster.StartAsync(new PowerCutFileSystem(live)))
        {
            workloadStart = disk.OperationCount;
            await DriveAsync(cluster.GrainFactory, disk, new Random(seed), writes);
            workloadEnd = disk.OperationCount;
        }

        IReadOnlyList<DiskOp> ops = disk.Log;
        var random = new Random(seed + 1);
        var syncs = Enumerable.Range(workloadStart, workloadEnd - workloadStart).Where(k => ops[k].Kind is DiskOpKind.Fsync or DiskOpKind.DirSync).ToList();
        Assert.True(syncs.Count >= cuts, $"the run should fsync at least {cuts} times; it made {syncs.Count} fsyncs in {workloadEnd - workloadStart} operations");
        var segments = ops.Where(o => o.Kind is DiskOpKind.Create or DiskOpKind.Rename).Select(o => Path.GetFileName(o.Destination ?? o.Path))
            .Where(name => name.EndsWith(".wal", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(segments.Count > 1, $"the run should rotate (more than one segment); it named {string.Join(", ", segments)}, {ops.Count} operations");
        var chosen = syncs.OrderBy(_ => random.Next()).Take(cuts).Order().ToList();
        output.WriteLine($"seed {seed}: {writes.Count} acknowledged writes, {workloadEnd - workloadStart} disk operations, {syncs.Count} fsyncs; cutting before operations {string.Join(", ", chosen)}");

        var replay = new SimulatedDisk { Recording = false };
        int replayed = 0;
        var failures = new List<string>();
        for (int c = 0; c < chosen.Count; c++)
        {
            int cut = chosen[c];
            for (; replayed < cut; replayed++)
            {
                replay.Replay(ops[replayed]);
            }

            CrashVariant variant = CutVariants[c % CutVariants.Length];
            var survivor = new CrashFileSystem(SimulatedDisk.FromImage(replay.CrashImage(variant, random), recording: false));
            survivor.CreateDirectory(SimulatedDiskCluster.Directory);
            TestCluster recovered;
            try
            {
                recovered = await SimulatedDiskCluster.StartAsync(new PowerCutFileSystem(survivor));
            }
            catch (Exception ex)
            {
                failures.Add($"cut before operation {cut} ({ops[cut]}), {variant}: the silo did not start on what survived: {ex.GetBaseException().Message}");
                continue;
            }

            await using (recovered)
            {
                foreach (string problem in await CheckAsync(recovered.GrainFactory, writes, cut))
                {
                    failures.Add($"cut before operation {cut} ({ops[cut]}), {variant}: {problem}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// Three state grains (each write about 6 KB) and two journaled grains; each step writes one grain or, one step in four, two at once (a group
    /// commit). Values are unique, so a write applied twice or one never made shows.
    /// </summary>
    private static async Task DriveAsync(IGrainFactory grains, SimulatedDisk disk, Random random, List<GrainWrite> writes)
    {
        string[] names = ["p0", "p1", "p2", "j0", "j1"];
        int next = 1;
        for (int step = 0; step < 36; step++)
        {
            var picked = names.OrderBy(_ => random.Next()).Take(random.Next(4) == 0 ? 2 : 1).ToArray();
            var calls = picked.Select(name =>
            {
                int[] values = name[0] == 'p' ? [next++] : Enumerable.Range(0, random.Next(1, 4)).Select(_ => next++).ToArray();
                return WriteAsync(grains, disk, name, values);
            }).ToArray();
            writes.AddRange(await Task.WhenAll(calls));
        }
    }

    private static async Task<GrainWrite> WriteAsync(IGrainFactory grains, SimulatedDisk disk, string name, int[] values)
    {
        int started = disk.OperationCount;
        if (name[0] == 'p')
        {
            await grains.GetGrain<IAppendStateGrain>(name).Append(values[0], paddingBytes: 6000);
        }
        else
        {
            await grains.GetGrain<ICounterJournalGrain>(name).AddMany(values);
        }

        return new GrainWrite(name, values, started, disk.OperationCount);
    }

    /// <summary>
    /// Per grain: what it reads must be the values of its first L writes, for an L between the writes acknowledged before
    /// the cut and those started before it (one per grain at most may be in flight).
    /// </summary>
    private static async Task<List<string>> CheckAsync(IGrainFactory grains, List<GrainWrite> writes, int cut)
    {
        var problems = new List<string>();
        foreach (var group in writes.GroupBy(w => w.Grain))
        {
            var own = group.ToList();
            int acknowledged = own.Count(w => w.AckedAt <= cut);
            int started = own.Count(w => w.StartedAt < cut);
            int[] read = group.Key[0] == 'p'
                ? await grains.GetGrain<IAppendStateGrain>(group.Key).Items()
                : await ReadJournalAsync(grains.GetGrain<ICounterJournalGrain>(group.Key));
            bool matches = Enumerable.Range(acknowledged, started - acknowledged + 1)
                .Any(l => own.Take(l).SelectMany(w => w.Values).SequenceEqual(read));
            if (!matches)
            {
                problems.Add($"{group.Key} reads [{string.Join(",", read)}]; expected the values of its first {acknowledged} to {started} writes: "
                    + $"[{string.Join(",", own.Take(started).SelectMany(w => w.Values))}]");
            }
        }

        return problems;
    }

    private static async Task<int[]> ReadJournalAsync(ICounterJournalGrain grain)
    {
        CounterView view = await grain.Get();
        int[] history = await grain.History(0, view.Version);
        return history.Sum() == view.Total && history.Length == view.Count ? history : [-1, .. history];
    }

    /// <summary>One acknowledged grain write: its values, and the disk's operation count when it started and when it was acknowledged.</summary>
    private sealed record GrainWrite(string Grain, int[] Values, int StartedAt, int AckedAt);
}
