using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

public sealed class CompactCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Compact_WhileALogInstanceHoldsTheDirectory_ReturnsOneWithClearMessageAndChangesNothing()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        await using var running = await WriteAheadLog.OpenAsync(SampleLog.Options(dir));
        string before = SampleLog.Fingerprint(dir);

        var run = await ToolRunner.RunAsync("compact", dir);

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("is in use by another process", run.Error, StringComparison.Ordinal);
        Assert.Contains("stop the silo first", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, SampleLog.Fingerprint(dir));
    }

    [Fact]
    public async Task Compact_LogWithDeadSegments_FreesSpaceAndKeepsEveryStreamsState()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 60);
        var streams = new[] { "cold/1", "ledger/1", "account/0", "account/9", "blob/1", "temp/1" };
        var before = new List<string>();
        foreach (string stream in streams)
        {
            before.Add((await ToolRunner.RunAsync("dump", dir, "--stream", stream, "--json")).Out);
        }

        int segmentsBefore = SampleLog.SegmentFiles(dir).Count;

        var run = await ToolRunner.RunAsync("compact", dir, "--live-ratio", "0.9", "--reclaim-history");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Matches(@"Deleted [1-9]\d* segment\(s\)", run.Out);
        Assert.True(SampleLog.SegmentFiles(dir).Count < segmentsBefore, run.Out);
        for (int i = 0; i < streams.Length; i++)
        {
            var after = await ToolRunner.RunAsync("dump", dir, "--stream", streams[i], "--json");
            Assert.Equal(before[i], after.Out);
        }

        var validate = await ToolRunner.RunAsync("validate", dir);
        Assert.True(validate.ExitCode == ExitCodes.Ok, validate.ToString());
    }

    [Fact]
    public async Task Compact_WithoutReclaimHistory_KeepsTheEventsCheckpointsCover()
    {
        // A grain store that keeps every event (EventHistory = KeepAll, the default) does not record that in the
        // directory: an offline compaction must not take the history its checkpoints cover.
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 60, retainHistory: true);
        File.Delete(Path.Combine(dir, SampleLog.SnapshotFileName)); // as after a crash: the open rescans every segment
        var before = await ToolRunner.RunAsync("dump", dir, "--stream", "account/1", "--to-version", "2", "--json");
        Assert.True(before.ExitCode == ExitCodes.Ok, before.ToString());

        var run = await ToolRunner.RunAsync("compact", dir, "--live-ratio", "0.9");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("every stored event kept", run.Out, StringComparison.Ordinal);
        var after = await ToolRunner.RunAsync("dump", dir, "--stream", "account/1", "--to-version", "2", "--json");
        Assert.True(after.ExitCode == ExitCodes.Ok, after.ToString());
        Assert.Equal(before.Out, after.Out);
    }

    [Fact]
    public async Task Compact_CorruptedLog_ReturnsTwoAndModifiesNothing()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        string last = SampleLog.SegmentFiles(dir)[^1];
        SampleLog.FlipByte(last, SampleLog.Records(last)[0].Offset + 50);
        string before = SampleLog.Fingerprint(dir);

        var run = await ToolRunner.RunAsync("compact", dir);

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains("validate", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, SampleLog.Fingerprint(dir));
    }

    [Fact]
    public async Task Compact_BadLiveRatio_ReturnsOne()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 2);

        var run = await ToolRunner.RunAsync("compact", dir, "--live-ratio", "1.5");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
    }
}
