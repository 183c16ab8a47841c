using System.Text.Json;
using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

public sealed class StatsCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Stats_CleanLog_JsonParsesAndMatchesTheLog()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);

        var run = await ToolRunner.RunAsync("stats", dir, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var recovery = doc.RootElement.GetProperty("recovery");
        Assert.Equal(SampleLog.SegmentFiles(dir).Count, recovery.GetProperty("segments").GetInt32());
        Assert.True(recovery.GetProperty("cleanShutdown").GetBoolean());
        Assert.Equal(14, recovery.GetProperty("streams").GetInt64());
        Assert.Equal(0, recovery.GetProperty("truncatedBytes").GetInt64());
        Assert.Equal(0, recovery.GetProperty("notes").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("space").GetProperty("totalBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Stats_Table_ShowsRecoveryStatistics()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);

        var run = await ToolRunner.RunAsync("stats", dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("| Clean shutdown            | no", run.Out, StringComparison.Ordinal);
        Assert.Contains("| Segments scanned ", run.Out, StringComparison.Ordinal);
        Assert.Contains("Recovery notes: none", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_TornTail_ReportsTornBytesWithoutTruncating()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        string last = SampleLog.SegmentFiles(dir)[^1];
        var record = SampleLog.Records(last)[^1];
        SampleLog.Zero(last, record.Offset + 20, 8);
        string before = SampleLog.Fingerprint(dir);

        var run = await ToolRunner.RunAsync("stats", dir, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var recovery = doc.RootElement.GetProperty("recovery");
        Assert.True(recovery.GetProperty("truncatedBytes").GetInt64() >= record.Length, run.Out);
        Assert.Contains("not truncated: read-only", recovery.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, SampleLog.Fingerprint(dir));
    }

    [Fact]
    public async Task Stats_CorruptionAfterTheRecoveryPoint_ReturnsTwoAndSalvageSkipsIt()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        string last = SampleLog.SegmentFiles(dir)[^1];
        var (rpSegment, rpOffset) = SampleLog.RecoveryPoint(dir);
        Assert.EndsWith(SampleLog.SegmentFileName(rpSegment), last, StringComparison.Ordinal);
        var victim = SampleLog.Records(last).First(r => r.Offset >= rpOffset);
        SampleLog.FlipByte(last, victim.Offset + 50);

        var run = await ToolRunner.RunAsync("stats", dir);
        var salvage = await ToolRunner.RunAsync("stats", dir, "--recovery-mode", "Salvage", "--json");

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains($"is corrupted at offset {victim.Offset}", run.Error, StringComparison.Ordinal);
        Assert.True(salvage.ExitCode == ExitCodes.Ok, salvage.ToString());
        using var doc = JsonDocument.Parse(salvage.Out);
        Assert.Equal(1, doc.RootElement.GetProperty("recovery").GetProperty("corruptedRecords").GetInt64());
    }

    [Fact]
    public async Task Stats_SalvageWithTheSnapshotMovedAside_SkipsADamagedRecordTheSnapshotCovers()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        string last = SampleLog.SegmentFiles(dir)[^1];
        var (_, rpOffset) = SampleLog.RecoveryPoint(dir);
        var victim = SampleLog.Records(last).First(r => r.Offset < rpOffset);
        SampleLog.FlipByte(last, victim.Offset + 50);

        var withSnapshot = await ToolRunner.RunAsync("stats", dir, "--recovery-mode", "Salvage", "--json");
        File.Move(Path.Combine(dir, "index.snapshot"), Path.Combine(_temp.Path, "index.snapshot.saved"));
        var withoutSnapshot = await ToolRunner.RunAsync("stats", dir, "--recovery-mode", "Salvage", "--json");

        // With the snapshot in place the engine may read the damaged record while verifying indexed streams (seen:
        // exit 2); moving index.snapshot aside makes open scan every segment, and salvage skips the record.
        Assert.True(withSnapshot.ExitCode is ExitCodes.Ok or ExitCodes.Damage, withSnapshot.ToString());
        Assert.True(withoutSnapshot.ExitCode == ExitCodes.Ok, withoutSnapshot.ToString());
        using var doc = JsonDocument.Parse(withoutSnapshot.Out);
        Assert.Equal(1, doc.RootElement.GetProperty("recovery").GetProperty("corruptedRecords").GetInt64());
    }
}
