using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Format;

namespace Actors.Crash.Tests.Engine;

public sealed partial class DamageMatrixTests
{
    /// <summary>
    /// One flip (random bit, seeded) at every byte of every file of a small log, opened in TolerateTornTail and
    /// AbsoluteConsistency. Clean shutdown: one segment plus index.snapshot (nothing is scanned at open; reads verify
    /// CRCs). Crash: no snapshot, so open scans and judges every flip.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_BitFlipAtEveryByte_NeverReturnsWrongEvents(bool cleanShutdown)
    {
        var data = await SmallAsync(cleanShutdown);
        int flips = await FlipEveryByteAsync(data, cleanShutdown ? 1 : 2, _ => true, RecoveryMode.TolerateTornTail, RecoveryMode.AbsoluteConsistency);

        Assert.True(_outcomes.GetValueOrDefault(DamageOutcome.RefusedAtOpen) + _outcomes.GetValueOrDefault(DamageOutcome.Reported) > flips, "most flips must be detected; the harness saw almost none");
        AssertNoFailures();
    }

    /// <summary>The same flips in Salvage, for every byte outside the segment headers (see the skipped test for those).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_SalvageBitFlipAtEveryByteAfterTheSegmentHeader_NeverReturnsWrongEvents(bool cleanShutdown)
    {
        var data = await SmallAsync(cleanShutdown);
        await FlipEveryByteAsync(data, cleanShutdown ? 3 : 4, b => !b.Name.EndsWith(".wal", StringComparison.Ordinal) || b.Offset >= SegmentHeader.Size, RecoveryMode.Salvage);

        AssertNoFailures();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_SalvageBitFlipInTheSegmentHeader_ReportsAndOpens(bool cleanShutdown)
    {
        var data = await SmallAsync(cleanShutdown);
        await FlipEveryByteAsync(data, cleanShutdown ? 5 : 6, b => b.Name.EndsWith(".wal", StringComparison.Ordinal) && b.Offset < SegmentHeader.Size, RecoveryMode.Salvage);

        AssertNoFailures();
    }

    private async Task<int> FlipEveryByteAsync(Dataset data, int seed, Func<(string Name, int Offset), bool> include, params RecoveryMode[] modes)
    {
        var flips = Flips(data, seed, include).ToList();
        await RunCasesAsync(data, flips, modes);

        output.WriteLine($"{flips.Count} single-bit flips over {string.Join(", ", data.Files.Select(f => $"{f.Key} ({f.Value.Length} B)"))} in {string.Join("/", modes)}");
        return flips.Count;
    }

    /// <summary>One seeded random bit of every included byte of every file, in file-name and offset order.</summary>
    private static IEnumerable<(string Description, Action<string> Damage)> Flips(Dataset data, int seed, Func<(string Name, int Offset), bool> include)
    {
        var random = new Random(seed);
        foreach (string name in data.Files.Keys.Order(StringComparer.Ordinal))
        {
            for (int offset = 0; offset < data[name].Length; offset++)
            {
                int bit = random.Next(8);
                if (!include((name, offset)))
                {
                    continue;
                }

                int at = offset;
                yield return ($"{name} byte {at} bit {bit}", dir => FlipBit(Path.Combine(dir, name), at, bit));
            }
        }
    }
}
