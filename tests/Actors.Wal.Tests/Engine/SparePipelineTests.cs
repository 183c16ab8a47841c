using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;
using Actors.Wal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The spare pipeline's contract on its own (no log around it): a spare is handed out once; a failed preparation is
/// reported and its file never handed out; stopping abandons a preparation under way and leaves no file of it; a spare
/// recovery adopts is checked and handed out.
/// </summary>
public sealed class SparePipelineTests : IDisposable
{
    private const long SegmentSize = 4 << 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly FaultInjectingFileSystem _files = new(EventLogFaultLayout.Instance);
    private readonly List<IReadOnlyList<uint>> _listings = [];
    private readonly List<Segment> _published = [];
    private uint _maxId;

    public void Dispose()
    {
        foreach (var segment in _published)
        {
            segment.Retire();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Take_SpareReady_HandsItOutOnceUnderItsSegmentName()
    {
        var pipeline = Create(zeroFill: true);
        pipeline.Start();
        pipeline.Request();
        await pipeline.WhenSettledAsync().WaitAsync(Timeout);
        Assert.Equal(new uint[] { 1 }, pipeline.ListedSpareIds);
        Assert.Contains(_listings, listed => listed.SequenceEqual(new uint[] { 1 }));

        var first = pipeline.Take(Publish, out uint noId);
        var second = pipeline.Take(Publish, out uint inlineId);
        await pipeline.StopAsync().WaitAsync(Timeout);

        Assert.NotNull(first);
        Assert.Equal(1u, first.Id);
        Assert.Equal(0u, noId);
        Assert.Equal(_dir.File(SegmentHeader.FileName(1)), first.Path);
        Assert.True(File.Exists(first.Path), $"the taken spare's file {first.Path} is missing");
        Assert.Null(second);
        Assert.Equal(2u, inlineId);
        Assert.Equal(new[] { first }, _published);
        Assert.Empty(pipeline.ListedSpareIds);
        Assert.Equal(1, pipeline.SparesTaken);
    }

    [Fact]
    public async Task Prepare_ZeroFillRunsOutOfSpace_ReportsFailureAndLeavesNoFile()
    {
        var pipeline = Create(zeroFill: true);
        _files.FreeBytes = ZeroFillPacing.ChunkBytes + 4096; // the second chunk of zeros hits a full disk

        await RunFailingPreparationAsync(pipeline, "the failed preparation was not reported");

        Assert.Empty(_listings);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task Prepare_ListingFails_ReportsFailureAndNeverHandsTheSpareOut()
    {
        var pipeline = Create(zeroFill: false, list: () => throw new IOException("Injected manifest failure."));

        await RunFailingPreparationAsync(pipeline, "the failed listing was not reported");

        Assert.Empty(_published);
    }

    [Fact]
    public async Task StopAsync_DuringZeroFill_AbandonsThePreparationAndDeletesItsFile()
    {
        using var gate = new SemaphoreSlim(0);
        _files.ZeroFillGate = gate;
        var pipeline = Create(zeroFill: true);
        pipeline.Start();
        pipeline.Request();
        Assert.True(await _files.ZeroFillEntered.WaitAsync(Timeout), "the spare's zero-filling never started");
        Assert.True(pipeline.IsPreparing, "no preparation under way while zero-filling");

        var stopping = pipeline.StopAsync();
        gate.Release(1_000);
        await stopping.WaitAsync(Timeout);

        Assert.False(pipeline.IsPreparing, "a preparation is still under way after the stop");
        Assert.Empty(pipeline.ListedSpareIds);
        Assert.Empty(_listings);
        Assert.Empty(Directory.GetFiles(_dir.Path));
        Assert.Equal(0, pipeline.PreparationFailures);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Adopt_SpareRecoveryKept_ChecksItAndHandsItOut(bool underSpareName)
    {
        // A spare prepared by an earlier process, found by recovery under its spare name (or under its segment name: the
        // writer's rename when it took the spare, which recovery found holding nothing acknowledged).
        var first = Create(zeroFill: false);
        first.Start();
        first.Request();
        await first.WhenSettledAsync().WaitAsync(Timeout);
        await first.StopAsync().WaitAsync(Timeout);
        first.CloseFiles();
        string path = _dir.File(SegmentHeader.FileName(1) + SegmentManager.SpareSuffix);
        if (!underSpareName)
        {
            File.Move(path, _dir.File(SegmentHeader.FileName(1)));
            path = _dir.File(SegmentHeader.FileName(1));
        }

        var adopted = OpenSegment(path);
        var pipeline = Create(zeroFill: false);
        pipeline.Adopt(adopted);
        Assert.Equal(_dir.File(SegmentHeader.FileName(1) + SegmentManager.SpareSuffix), adopted.Path);
        Assert.Equal(new uint[] { 1 }, pipeline.ListedSpareIds);
        pipeline.Start();
        await pipeline.WhenSettledAsync().WaitAsync(Timeout);

        var taken = pipeline.Take(Publish, out _);
        await pipeline.StopAsync().WaitAsync(Timeout);

        Assert.Same(adopted, taken);
        Assert.Equal(_dir.File(SegmentHeader.FileName(1)), taken!.Path);
        Assert.Equal(0, pipeline.PreparationFailures);
    }

    [Fact]
    public void DelayBeforeChunk_AheadOfAndBehindThePace_WaitsOnlyWhenAhead()
    {
        var spread = TimeSpan.FromMilliseconds(400);

        Assert.Equal(TimeSpan.Zero, ZeroFillPacing.DelayBeforeChunk(0, 100, TimeSpan.Zero, spread));
        Assert.Equal(TimeSpan.FromMilliseconds(100), ZeroFillPacing.DelayBeforeChunk(50, 100, TimeSpan.FromMilliseconds(100), spread));
        Assert.Equal(TimeSpan.Zero, ZeroFillPacing.DelayBeforeChunk(50, 100, TimeSpan.FromMilliseconds(300), spread));
        Assert.Equal(TimeSpan.Zero, ZeroFillPacing.DelayBeforeChunk(50, 100, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(250), ZeroFillPacing.Spread(TimeSpan.FromMilliseconds(500), 50));
        Assert.Equal(ZeroFillPacing.MaxSpread, ZeroFillPacing.Spread(TimeSpan.FromHours(1), 50));
        Assert.Equal(TimeSpan.Zero, ZeroFillPacing.Spread(TimeSpan.Zero, 50));
        Assert.Equal(TimeSpan.Zero, ZeroFillPacing.Spread(TimeSpan.FromHours(1), 0));
    }

    private SparePipeline Create(bool zeroFill, Action? list = null)
    {
        var options = new WriteAheadLogOptions { Directory = _dir.Path, SegmentSizeBytes = SegmentSize, PreallocateSegments = true, ZeroFillSegments = zeroFill };
        var factory = new SegmentFileFactory(options, _files, TimeProvider.System, () => 1, () => false);
        SparePipeline? pipeline = null;
        pipeline = new SparePipeline(
            factory,
            new RecycledSegmentFiles(),
            () => Interlocked.Increment(ref _maxId),
            list ?? (() => _listings.Add(pipeline!.ListedSpareIds)),
            () => { },
            () => false,
            TimeProvider.System,
            NullLogger.Instance);
        return pipeline;
    }

    /// <summary>
    /// Starts <paramref name="pipeline"/>, requests a spare whose preparation fails, waits until the failure is reported
    /// (<paramref name="notReported"/> otherwise) and the pipeline settled, then takes and stops: asserts that no spare
    /// was handed out (the writer creates segment 2 inline) and none is listed.
    /// </summary>
    private async Task RunFailingPreparationAsync(SparePipeline pipeline, string notReported)
    {
        pipeline.Start();
        pipeline.Request();
        await PollAsync(() => pipeline.PreparationFailures == 1, notReported);
        await pipeline.WhenSettledAsync().WaitAsync(Timeout);

        var taken = pipeline.Take(Publish, out uint inlineId);
        await pipeline.StopAsync().WaitAsync(Timeout);

        Assert.Null(taken);
        Assert.Equal(2u, inlineId);
        Assert.Empty(pipeline.ListedSpareIds);
    }

    private void Publish(Segment segment) => _published.Add(segment);

    private Segment OpenSegment(string path)
    {
        var file = _files.OpenFile(path, WalFileMode.OpenExisting);
        Assert.Equal(SegmentHeaderStatus.Ok, new SegmentReader(file, SegmentSize).ReadHeader(out var header, out _, out _));
        return new Segment(header, path, file, SegmentHeader.Size, isSealed: false);
    }

    private static async Task PollAsync(Func<bool> condition, string message)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, message);
            await Task.Delay(5);
        }
    }
}
