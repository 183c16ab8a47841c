using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// With <see cref="WriteAheadLogOptions.ZeroFillSegments"/>, a writer that fills segments faster than the background
/// zeroes the next one waits for it at the rotation; the zero-filling then stops at the next chunk and hands the spare
/// over (the rest reads as zeros), instead of holding every append until a whole segment of zeros is written.
/// </summary>
public sealed class SpareZeroFillTests : LogTestBase
{
    private const int EventBytes = 12_000;

    [Fact]
    public async Task Rotation_WriterWaitsForAZeroFillingSpare_ZeroFillStopsAndAppendsGoOn()
    {
        using var gate = new SemaphoreSlim(0);
        var log = await OpenOnFilesAsync(o => (o.SegmentSizeBytes, o.ZeroFillSegments) = (4 << 20, true));
        long version = 0;
        try
        {
            await log.WhenSpareSettledAsync();
            Files.ZeroFillGate = gate;

            // Segment 2 is taken into use; the preparation of segment 3 starts and is held in its first chunk of zeros.
            version = await AppendUntilSegmentsAsync(log, "s", version, 2, EventBytes);
            Assert.True(await Files.ZeroFillEntered.WaitAsync(TimeSpan.FromSeconds(60)), "the next spare was not zero-filled");

            // Filling segment 2 makes the writer wait for segment 3 at the next rotation.
            long from = version;
            var filling = Task.Run(async () => await AppendUntilSegmentsAsync(log, "s", from, 3, EventBytes));
            await PollAsync(() => log.GetStatistics().SpareWaits >= 1 || filling.IsCompleted, "the writer never waited for the spare");
            Assert.False(filling.IsCompleted, "the rotation did not wait for the spare being zero-filled");

            // One chunk more: the zero-filling sees the writer waiting, stops and hands the spare over.
            gate.Release();
            version = await filling.WaitAsync(TimeSpan.FromSeconds(120));

            var stats = log.GetStatistics();
            Assert.Equal(1, stats.ZeroFillsCut);
            Assert.Equal(1, stats.SpareWaits);
            Assert.False(stats.IsFailed);
        }
        finally
        {
            Files.ZeroFillGate = null;
            gate.Release(1_000);
            await log.DisposeAsync();
        }

        // The partly zeroed segment reads back whole, before and after a reopen.
        await using var reopened = await OpenAsync(o => (o.SegmentSizeBytes, o.ZeroFillSegments) = (4 << 20, true));
        var events = await reopened.ReadEventsAsync("s", 1, version);
        Assert.Equal(version, events.Count);
        Assert.Equal(version, reopened.GetStreamInfo("s").Version);
    }

    [Fact]
    public async Task Rotation_NextSpareBeingZeroFilled_ManifestCatchesUpInTheSparesListingOnly()
    {
        using var gate = new SemaphoreSlim(0);
        var log = await OpenOnFilesAsync(o => (o.SegmentSizeBytes, o.ZeroFillSegments) = (4 << 20, true));
        try
        {
            await log.WhenSpareSettledAsync();
            int before = ManifestWrites();
            Files.ZeroFillGate = gate;

            // Segment 2 is taken into use and written (the committer asks for the manifest that lists it as live) while
            // the preparation of segment 3 is held in its zeros.
            long version = await AppendUntilSegmentsAsync(log, "s", 0, 2, EventBytes);
            Assert.True(await Files.ZeroFillEntered.WaitAsync(TimeSpan.FromSeconds(60)), "the next spare was not zero-filled");
            for (int i = 0; i < 20; i++)
            {
                version = (await log.AppendAsync("s", version, [new byte[100]])).LastVersion;
            }

            Files.ZeroFillGate = null;
            gate.Release(1_000);
            await log.WhenSpareSettledAsync();

            // One manifest write for the rotation: the spare's listing, which also lists segment 2 as live; none beside
            // the first commits into segment 2.
            Assert.Equal(before + 1, ManifestWrites());
            Assert.False(log.GetStatistics().IsFailed);
        }
        finally
        {
            Files.ZeroFillGate = null;
            gate.Release(1_000);
            await log.DisposeAsync();
        }
    }

    private int ManifestWrites()
    {
        lock (Files.Operations)
        {
            return Files.Operations.Count(op => op.StartsWith("rename ", StringComparison.Ordinal) && op.EndsWith(" " + Recovery.SegmentManifest.FileName, StringComparison.Ordinal));
        }
    }
}
