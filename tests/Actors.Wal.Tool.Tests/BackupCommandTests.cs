using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

public sealed class BackupCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task BackupThenRestore_WhileTheLogIsOpen_RestoredLogHoldsTheSameStreamsAndSourceIsUnchanged()
    {
        string dir = _temp.Sub("log");
        string backup = _temp.Sub("backup");
        string restored = _temp.Sub("restored");
        await SampleLog.CreateAsync(dir);
        var streams = new[] { "cold/1", "ledger/1", "account/0", "account/9", "blob/1" };
        ToolRun backupRun;
        string fingerprint;
        await using (var running = await WriteAheadLog.OpenAsync(SampleLog.Options(dir)))
        {
            fingerprint = SampleLog.Fingerprint(dir);
            backupRun = await ToolRunner.RunAsync("backup", dir, backup);
            Assert.Equal(fingerprint, SampleLog.Fingerprint(dir));
        }

        var restoreRun = await ToolRunner.RunAsync("restore", backup, restored);

        Assert.True(backupRun.ExitCode == ExitCodes.Ok, backupRun.ToString());
        Assert.Contains("Backed up", backupRun.Out, StringComparison.Ordinal);
        Assert.True(restoreRun.ExitCode == ExitCodes.Ok, restoreRun.ToString());
        Assert.Contains("Restored", restoreRun.Out, StringComparison.Ordinal);
        foreach (string stream in streams)
        {
            var original = await ToolRunner.RunAsync("dump", dir, "--stream", stream, "--json");
            var copy = await ToolRunner.RunAsync("dump", restored, "--stream", stream, "--json");
            Assert.Equal(original.Out, copy.Out);
        }
    }

    [Fact]
    public async Task Restore_IntoANonEmptyDirectory_ReturnsOneAndNamesIt()
    {
        string dir = _temp.Sub("log");
        string backup = _temp.Sub("backup");
        string target = _temp.Sub("target");
        await SampleLog.CreateAsync(dir, rounds: 5);
        Assert.Equal(ExitCodes.Ok, (await ToolRunner.RunAsync("backup", dir, backup)).ExitCode);
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "other.txt"), "x");

        var run = await ToolRunner.RunAsync("restore", backup, target);

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("must be empty", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_ToAnLsn_RestoredLogEndsThereAndTakesNoLaterRecord()
    {
        string dir = _temp.Sub("log");
        string backup = _temp.Sub("backup");
        string restored = _temp.Sub("restored");
        long point;
        await using (var log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = dir }))
        {
            await log.AppendAsync("account/1", 0, ["opened"u8.ToArray()]);
            point = log.WrittenLsn;
            await log.AppendAsync("account/1", 1, ["mistake"u8.ToArray()]);
            await log.AppendAsync("account/2", 0, ["later"u8.ToArray()]);
        }

        Assert.Equal(ExitCodes.Ok, (await ToolRunner.RunAsync("backup", dir, backup)).ExitCode);

        var run = await ToolRunner.RunAsync("restore", backup, restored, "--to-lsn", point.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains($"up to LSN {point}", run.Out, StringComparison.Ordinal);
        await using var check = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = restored });
        Assert.Equal(1, check.GetStreamInfo("account/1").Version);
        Assert.True(check.GetStreamInfo("account/2").IsEmpty);
    }

    [Fact]
    public async Task Restore_BothPointOptions_ReturnsOneAndSaysSo()
    {
        string dir = _temp.Sub("log");
        string backup = _temp.Sub("backup");
        await SampleLog.CreateAsync(dir, rounds: 2);
        Assert.Equal(ExitCodes.Ok, (await ToolRunner.RunAsync("backup", dir, backup)).ExitCode);

        var run = await ToolRunner.RunAsync("restore", backup, _temp.Sub("target"), "--to-lsn", "1", "--to-time", "2026-01-01T00:00:00Z");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("not both", run.Error, StringComparison.Ordinal);
    }
}
