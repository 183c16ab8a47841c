using System.Text.Json;
using Actors.Wal.Inspection;
using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Validate_CleanLog_ReturnsZeroAndClean()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);

        var run = await ToolRunner.RunAsync("validate", dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Result: CLEAN.", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("CORRUPTION", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_CrashedLogWithoutDamage_ReturnsZero()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);

        var run = await ToolRunner.RunAsync("validate", dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
    }

    [Fact]
    public async Task Validate_FlippedByteInSealedSegment_ReturnsTwoAndNamesSegmentAndOffset()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        string first = SampleLog.SegmentFiles(dir)[0];
        var record = SampleLog.Records(first)[3];
        SampleLog.FlipByte(first, record.Offset + SampleLog.RecordHeaderSize + 2);

        var run = await ToolRunner.RunAsync("validate", dir);

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        string name = Path.GetFileName(first);
        Assert.Contains($"CORRUPTION: segment 1 ({name}) offset {record.Offset}: the CRC", run.Out, StringComparison.Ordinal);
        Assert.Contains("not a torn tail", run.Out, StringComparison.Ordinal);
        Assert.Contains("Result: DAMAGED", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FlippedByteInSegmentHeader_ReturnsTwoAndReportsHeader()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        string first = SampleLog.SegmentFiles(dir)[0];
        SampleLog.FlipByte(first, 20);

        var run = await ToolRunner.RunAsync("validate", dir);

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains("segment 1 (0000000001.wal) offset 0: the segment header checksum does not match", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TornTail_ReturnsTwoAndReportsTornTailAtLastRecord()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        string last = SampleLog.SegmentFiles(dir)[^1];
        var record = SampleLog.Records(last)[^1];
        SampleLog.Zero(last, record.Offset + (record.Length / 2), record.Length - (record.Length / 2));

        var run = await ToolRunner.RunAsync("validate", dir);

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains($"TORN TAIL: segment {SegmentId(last)} ({Path.GetFileName(last)}) offset {record.Offset}: torn tail of", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("CORRUPTION", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_CleanLogWithItsLastRecordCutShort_ReturnsTwoAndReportsCorruptionNotATornTail()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        string last = SampleLog.SegmentFiles(dir)[^1];
        var record = SampleLog.Records(last)[^1];
        using (var file = new FileStream(last, FileMode.Open))
        {
            file.SetLength(record.Offset + record.Length - 7);
        }

        var run = await ToolRunner.RunAsync("validate", dir, "--allow-torn-tail");

        // The clean-shutdown snapshot recorded the record as durable: acknowledged data is gone.
        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains($"CORRUPTION: segment {SegmentId(last)} ({Path.GetFileName(last)}) offset {record.Offset}", run.Out, StringComparison.Ordinal);
        Assert.Contains("written at clean shutdown", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("TORN TAIL", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TornTailWithAllowTornTail_ReturnsZero()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        string last = SampleLog.SegmentFiles(dir)[^1];
        var record = SampleLog.Records(last)[^1];
        SampleLog.Zero(last, record.Offset + 10, 8);

        var run = await ToolRunner.RunAsync("validate", dir, "--allow-torn-tail");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("TORN TAIL", run.Out, StringComparison.Ordinal);
        Assert.Contains("CLEAN apart from a torn tail", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingSegment_ReturnsTwoAndReportsMissingSegmentAndRecords()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        var segments = SampleLog.SegmentFiles(dir);
        Assert.True(segments.Count >= 3, $"the sample should span at least 3 segments, it has {segments.Count}");
        File.Delete(segments[0]);

        var run = await ToolRunner.RunAsync("validate", dir);

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains("MISSING: segment 1 (0000000001.wal): the segment file is missing", run.Out, StringComparison.Ordinal);
        Assert.Contains("have their latest record in missing segment(s) 1", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingMiddleSegmentAfterCrash_ReportsMissingEvents()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        var segments = SampleLog.SegmentFiles(dir);
        Assert.True(segments.Count >= 3, $"the sample should span at least 3 segments, it has {segments.Count}");
        File.Delete(segments[1]);

        var run = await ToolRunner.RunAsync("validate", dir);

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains("MISSING: stream 'ledger/1': events", run.Out, StringComparison.Ordinal);
        Assert.Contains("MISSING: stream 'blob/1': events", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_ListedSegmentDeletedByHand_RefusesNamingItAndSalvageOpens()
    {
        // The engine deletes a segment only after segments.manifest stops listing it, so a listed segment that is
        // gone was removed by something else: the engine must refuse to open rather than read its streams as empty.
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 60, crash: true, accountsOnly: true);
        string deadSegment = LogInspector.Verify(dir).Segments.First(s => s.IsSealed && s.LiveBytes == 0 && s.RecordBytes > 0).FileName;
        File.Delete(Path.Combine(dir, deadSegment));

        var validate = await ToolRunner.RunAsync("validate", dir);
        File.Move(Path.Combine(dir, "index.snapshot"), _temp.Sub("index.snapshot.saved"));
        var stats = await ToolRunner.RunAsync("stats", dir);
        var salvage = await ToolRunner.RunAsync("stats", dir, "--recovery-mode", "Salvage");

        Assert.True(validate.ExitCode == ExitCodes.Damage, validate.ToString());
        Assert.Contains("SNAPSHOT: index.snapshot:", validate.Out, StringComparison.Ordinal);
        Assert.True(stats.ExitCode == ExitCodes.Damage, stats.ToString());
        Assert.Contains(deadSegment, stats.ToString(), StringComparison.Ordinal);
        Assert.True(salvage.ExitCode == ExitCodes.Ok, salvage.ToString());
    }

    [Fact]
    public async Task Validate_JsonOnDamagedLog_ParsesAndListsEachFinding()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        string first = SampleLog.SegmentFiles(dir)[0];
        var record = SampleLog.Records(first)[5];
        SampleLog.FlipByte(first, record.Offset + SampleLog.RecordHeaderSize + 1);

        var run = await ToolRunner.RunAsync("validate", dir, "--json");

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("damaged", doc.RootElement.GetProperty("result").GetString());
        var finding = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("Corruption", finding.GetProperty("kind").GetString());
        Assert.Equal(1, finding.GetProperty("segment").GetInt32());
        Assert.Equal(record.Offset, finding.GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task Validate_MissingDirectory_ReturnsOne()
    {
        var run = await ToolRunner.RunAsync("validate", _temp.Sub("nope"));

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DirectoryWithoutSegments_ReturnsOne()
    {
        var run = await ToolRunner.RunAsync("validate", _temp.Path);

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("No log in", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoArguments_ReturnsOne()
    {
        var run = await ToolRunner.RunAsync();

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
    }

    [Fact]
    public async Task Run_UnknownOption_ReturnsOne()
    {
        var run = await ToolRunner.RunAsync("validate", _temp.Path, "--bogus");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
    }

    private static uint SegmentId(string path) => SampleLog.SegmentId(path);
}
