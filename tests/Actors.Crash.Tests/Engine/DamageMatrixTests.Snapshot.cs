using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Format;

namespace Actors.Crash.Tests.Engine;

public sealed partial class DamageMatrixTests
{
    private const string Snapshot = "index.snapshot";

    /// <summary>
    /// index.snapshot missing, flipped, cut short, of an unknown version, garbage, or stale (from an earlier point of
    /// the same log): open must fall back to scanning (or replay from the stale recovery point) and return exactly the
    /// written data in every mode.
    /// </summary>
    [Fact]
    public async Task OpenAsync_DamagedOrMissingSnapshot_FallsBackAndReturnsTheRightData()
    {
        byte[]? stale = null;
        var data = await DamageHarness.BuildAsync(DamageHarness.Options(_dir.Path), cleanShutdown: true, async (log, w) =>
        {
            await DamageHarness.MultiSegmentHistoryAsync(log, w);
            await log.WhenMaintenanceIdleAsync(); // the snapshot the last rotation asked for is written in the background
            stale = File.ReadAllBytes(_dir.File(Snapshot)); // written at the last rotation, before the final events
            await w.AppendAsync(log, "late", [new byte[] { 7, 7 }]);
            await w.CheckpointAsync(log, "s0", w.VersionOf("s0"), [1, 2, 3]);
        });
        byte[] snapshot = data[Snapshot];
        Assert.NotEqual(stale, snapshot);
        var random = new Random(15);
        var damages = new List<(string Description, Action<string> Damage)>
        {
            ("missing", dir => File.Delete(Path.Combine(dir, Snapshot))),
            ("empty", dir => File.WriteAllBytes(Path.Combine(dir, Snapshot), [])),
            ("stale", dir => File.WriteAllBytes(Path.Combine(dir, Snapshot), stale!)),
            ("garbage", dir => File.WriteAllBytes(Path.Combine(dir, Snapshot), RandomBytes(random, snapshot.Length))),
            ("unknown version", dir => File.WriteAllBytes(Path.Combine(dir, Snapshot), WithVersion(snapshot, 2))),
            ("left-over temp file", dir => File.WriteAllBytes(Path.Combine(dir, Snapshot + ".tmp"), RandomBytes(random, 100))),
        };
        foreach (int cut in new[] { 4, 39, 40, snapshot.Length / 2, snapshot.Length - 4, snapshot.Length - 1 })
        {
            damages.Add(($"cut to {cut}", dir => Truncate(Path.Combine(dir, Snapshot), cut)));
        }

        for (int i = 0; i < 24; i++)
        {
            long at = random.Next(snapshot.Length);
            int bit = random.Next(8);
            damages.Add(($"bit {bit} of byte {at} flipped", dir => FlipBit(Path.Combine(dir, Snapshot), at, bit)));
        }

        foreach (var (description, damage) in damages)
        {
            var outcomes = await RunCaseAsync(data, $"snapshot {description}", damage);
            Assert.All(outcomes, o => Assert.True(o.DataExact, $"snapshot {description}: the data must read back exactly ({o.Outcome})"));
        }

        AssertNoFailures();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The snapshot with MinCompatibleVersion raised and its CRC recomputed (a future format, not damage).</summary>
    private static byte[] WithVersion(byte[] snapshot, ushort minCompatible)
    {
        byte[] copy = (byte[])snapshot.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(4), minCompatible);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(6), minCompatible);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), Crc32C.Compute(copy.AsSpan(0, copy.Length - 4)));
        return copy;
    }
}
