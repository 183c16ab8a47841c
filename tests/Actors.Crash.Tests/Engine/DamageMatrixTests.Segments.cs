using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.Format;

namespace Actors.Crash.Tests.Engine;

public sealed partial class DamageMatrixTests
{
    /// <summary>Zeroes every 512-byte sector of a multi-segment crashed log (and some unaligned ranges), one at a time.</summary>
    [Fact]
    public async Task OpenAsync_ZeroedSectorAnywhere_NeverReturnsWrongEvents()
    {
        var data = await MultiSegmentAsync(clean: false);
        Assert.True(data.SegmentNames.Count() >= 3, "the dataset needs several segments");
        string last = data.SegmentNames.Last();
        var random = new Random(12);
        var ranges = new List<(string Description, Action<string> Damage)>();
        foreach (string name in data.SegmentNames)
        {
            // A zeroed range reaching the end of the last segment's records is a zero-filled tail (what a crash leaves),
            // covered by the torn-tail test; here every zeroed sector has valid data after it.
            long limit = name == last ? data[name].Length - 512 : data[name].Length;
            for (long offset = 0; offset < limit; offset += 512)
            {
                long at = offset;
                ranges.Add(($"{name} sector at {at}", dir => ZeroRange(Path.Combine(dir, name), at, 512)));
            }

            for (int i = 0; i < 4; i++)
            {
                long at = random.NextInt64(0, limit - 100);
                ranges.Add(($"{name} unaligned 512 bytes at {at}", dir => ZeroRange(Path.Combine(dir, name), at, 512)));
            }
        }

        await RunCasesAsync(data, ranges);
        int sectors = ranges.Count;
        output.WriteLine($"{sectors} zeroed ranges");
        AssertNoFailures();
    }

    /// <summary>A middle segment cut short (header only, inside the header, mid-record, seal removed, one byte short, empty).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_TruncatedMiddleSegment_IsRefusedOrReported(bool cleanShutdown)
    {
        var data = await MultiSegmentAsync(cleanShutdown);
        string middle = data.SegmentNames.ElementAt(1);
        long length = data[middle].Length;
        long[] cuts = [0, 30, SegmentHeader.Size, SegmentHeader.Size + 1, length / 2, length - RecordHeader.SealSize, length - 1];
        foreach (long cut in cuts)
        {
            var outcomes = await RunCaseAsync(data, $"{middle} cut to {cut}", dir => Truncate(Path.Combine(dir, middle), cut));
            Assert.All(outcomes, o => Assert.False(o.DataExact && o.Outcome == DamageOutcome.Exact && cut < length - RecordHeader.SealSize, $"cut to {cut} went unnoticed"));
        }

        AssertNoFailures();
    }

    /// <summary>A segment in the middle of the log is gone (deleted by mistake, lost by the file system).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_MissingMiddleSegment_IsRefusedOrReported(bool cleanShutdown)
    {
        var data = await MultiSegmentAsync(cleanShutdown);
        string middle = data.SegmentNames.ElementAt(1);

        await RunCaseAsync(data, $"{middle} deleted", dir => File.Delete(Path.Combine(dir, middle)));

        AssertNoFailures();
    }

    /// <summary>The same without index.snapshot: only the segment files can tell that one is missing.</summary>
    [Fact]
    public async Task OpenAsync_MissingMiddleSegmentAndSnapshot_IsRefusedOrReported()
    {
        var data = await MultiSegmentAsync(clean: false);
        string middle = data.SegmentNames.ElementAt(1);

        await RunCaseAsync(data, $"{middle} and index.snapshot deleted", dir =>
        {
            File.Delete(Path.Combine(dir, middle));
            File.Delete(Path.Combine(dir, "index.snapshot"));
        });

        AssertNoFailures();
    }

    /// <summary>Every byte of every segment header flipped (Salvage only for headers of segments other than the last: see the skipped bit-flip test).</summary>
    [Fact]
    public async Task OpenAsync_DamagedSegmentHeader_IsRefusedOrSkipped()
    {
        var data = await MultiSegmentAsync(clean: false);
        var random = new Random(14);
        string last = data.SegmentNames.Last();
        foreach (string name in data.SegmentNames)
        {
            RecoveryMode[] modes = name == last ? [RecoveryMode.TolerateTornTail, RecoveryMode.AbsoluteConsistency] : Modes;
            for (int offset = 0; offset < SegmentHeader.Size; offset++)
            {
                int at = offset;
                int bit = random.Next(8);
                var outcomes = await RunCaseAsync(data, $"{name} header byte {at}", dir => FlipBit(Path.Combine(dir, name), at, bit), modes);
                Assert.DoesNotContain(outcomes, o => o.Outcome == DamageOutcome.Exact);
            }
        }

        AssertNoFailures();
    }

    /// <summary>A segment written by a future format (MinCompatibleVersion above ours) is refused by name in every mode; a newer Version readable by ours opens.</summary>
    [Fact]
    public async Task OpenAsync_UnknownFormatVersion_ThrowsUnsupportedFormatVersionInEveryMode()
    {
        const ushort current = SegmentHeader.CurrentVersion;
        const ushort future = current + 1;
        var data = await MultiSegmentAsync(clean: false);
        foreach (string name in data.SegmentNames)
        {
            foreach (var mode in Modes)
            {
                data.Restore(_dir.Path);
                RewriteHeader(Path.Combine(_dir.Path, name), version: future, minCompatible: future);
                var ex = await Assert.ThrowsAsync<UnsupportedFormatVersionException>(async () => await WriteAheadLog.OpenAsync(DamageHarness.Options(_dir.Path, mode)));
                Assert.Equal(Path.Combine(_dir.Path, name), ex.FilePath);
                Assert.Equal(future, ex.MinCompatibleVersion);
                _cases++;
            }

            var outcomes = await RunCaseAsync(data, $"{name} version {future} readable by {current}", dir => RewriteHeader(Path.Combine(dir, name), version: future, minCompatible: current));
            Assert.All(outcomes, o => Assert.True(o.DataExact, $"{name}: a compatible newer version must read back exactly"));
        }

        AssertNoFailures();
    }

    private static void RewriteHeader(string path, ushort version, ushort minCompatible)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(bytes, out var header, out _, out _));
        header.Write(bytes, version, minCompatible);
        File.WriteAllBytes(path, bytes);
    }
}
