using System.Text.Json;
using Actors.Wal.Inspection;
using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

public sealed class InspectCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Inspect_CleanLog_ShowsSegmentsStreamsRecoveryPointAndFormat()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);

        var run = await ToolRunner.RunAsync("inspect", dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains($"| Format version    | {SampleLog.FormatVersion} (min compatible {SampleLog.FormatVersion})", run.Out, StringComparison.Ordinal);
        Assert.Contains("| Streams           | 14 ", run.Out, StringComparison.Ordinal);
        Assert.Contains("| Deleted streams   | 1 ", run.Out, StringComparison.Ordinal);
        Assert.Contains("clean shutdown", run.Out, StringComparison.Ordinal);
        Assert.Contains("| Damage            | none seen", run.Out, StringComparison.Ordinal);
        foreach (string segment in SampleLog.SegmentFiles(dir))
        {
            Assert.Contains(Path.GetFileName(segment), run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("sealed", run.Out, StringComparison.Ordinal);
        Assert.Contains("active", run.Out, StringComparison.Ordinal);
        Assert.Contains("2026-01-01 00:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_EncryptedLog_NamesTheKeyOfEachSegmentWithoutNeedingIt()
    {
        string dir = _temp.Sub("log");
        var keys = new Encryption.EncryptionKeyring([new Encryption.EncryptionKey(5, new byte[32])]);
        await using (var log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = dir, SegmentSizeBytes = 64 * 1024, MaxRecordSizeBytes = 16 * 1024, PreallocateSegments = false, Encryption = keys }))
        {
            await log.AppendAsync("acct", 0, ["balance=100"u8.ToArray()]);
        }

        var run = await ToolRunner.RunAsync("inspect", dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("| Encryption keys   | key 5 (1 segment(s))", run.Out, StringComparison.Ordinal);
        Assert.Contains("| Damage            | none seen", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_LiveBytes_MatchTheEngineAfterRecovery()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        var options = SampleLog.Options(dir);
        options.ReadOnly = true;
        LogStatistics engine;
        await using (var log = await WriteAheadLog.OpenAsync(options))
        {
            engine = log.GetStatistics();
        }

        var report = LogInspector.Verify(dir);

        Assert.Equal(engine.TotalBytes, report.RecordBytes);
        Assert.Equal(engine.StreamCount, report.Streams.Count);
        Assert.Equal(engine.LiveBytes, report.LiveBytes);
    }

    [Fact]
    public async Task Inspect_DamagedLog_StillReportsAndPointsToValidate()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        string first = SampleLog.SegmentFiles(dir)[0];
        SampleLog.FlipByte(first, SampleLog.Records(first)[1].Offset + 60);

        var run = await ToolRunner.RunAsync("inspect", dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("finding(s): run validate", run.Out, StringComparison.Ordinal);
        Assert.Contains("sealed, 1 damaged", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_InteractiveMode_RendersWithoutErrors()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 5);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int inspect = await ToolApp.RunAsync(["inspect", dir], stdout, stderr, interactive: true);
        int validate = await ToolApp.RunAsync(["validate", dir], stdout, stderr, interactive: true);

        Assert.True(inspect == ExitCodes.Ok && validate == ExitCodes.Ok, $"{stdout}\n{stderr}");
        Assert.Contains("╭", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("Result: CLEAN.", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_Json_ParsesAndMatchesTheSegments()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);

        var run = await ToolRunner.RunAsync("inspect", dir, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        var files = SampleLog.SegmentFiles(dir).Select(Path.GetFileName).ToList();
        Assert.Equal(files, root.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("file").GetString()).ToList());
        Assert.Equal(14, root.GetProperty("streams").GetInt32());
        Assert.True(root.GetProperty("recoveryPoint").GetProperty("cleanShutdown").GetBoolean());
        Assert.Equal(SampleLog.FormatVersion, root.GetProperty("formatVersions")[0].GetInt32());
        Assert.True(root.GetProperty("segments")[0].GetProperty("sealed").GetBoolean());
    }

    [Fact]
    public async Task Inspect_MissingDirectory_ReturnsOne()
    {
        var run = await ToolRunner.RunAsync("inspect", _temp.Sub("missing"));

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
    }
}
