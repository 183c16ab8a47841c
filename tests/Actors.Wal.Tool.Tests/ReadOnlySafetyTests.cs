using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

/// <summary>inspect, validate, dump and stats must not change a byte, on clean and damaged logs, with or without a running log.</summary>
public sealed class ReadOnlySafetyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Damage => new() { "clean", "flipped", "torn", "missing", "nolock" };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task ReadOnlyCommands_AnyLog_LeaveEveryFileByteForByteUnchanged(string damage)
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: damage == "torn");
        var segments = SampleLog.SegmentFiles(dir);
        switch (damage)
        {
            case "flipped":
                SampleLog.FlipByte(segments[0], SampleLog.Records(segments[0])[2].Offset + 50);
                break;
            case "torn":
                var record = SampleLog.Records(segments[^1])[^1];
                SampleLog.Zero(segments[^1], record.Offset + 30, 16);
                break;
            case "missing":
                File.Delete(segments[1]);
                break;
            case "nolock":
                File.Delete(Path.Combine(dir, WriteAheadLog.LockFileName));
                break;
            default:
                break;
        }

        string before = SampleLog.Fingerprint(dir);
        var runs = new List<ToolRun>
        {
            await ToolRunner.RunAsync("inspect", dir),
            await ToolRunner.RunAsync("validate", dir),
            await ToolRunner.RunAsync("dump", dir, "--stream", "ledger/1"),
            await ToolRunner.RunAsync("dump", dir, "--stream", "account/2", "--json", "--to-version", "100"),
            await ToolRunner.RunAsync("stats", dir),
            await ToolRunner.RunAsync("stats", dir, "--json", "--recovery-mode", "Salvage"),
        };

        Assert.Equal(before, SampleLog.Fingerprint(dir));
        // A missing segment reads as reclaimed events in the engine (dump exits 1); every other run is 0 or 2.
        Assert.All(runs, r => Assert.True(r.ExitCode is ExitCodes.Ok or ExitCodes.Damage || (damage == "missing" && r.ExitCode == ExitCodes.Error), r.ToString()));
        Assert.Equal(damage is "clean" or "nolock" ? ExitCodes.Ok : ExitCodes.Damage, runs[1].ExitCode);
    }

    [Fact]
    public async Task ReadOnlyCommands_WhileALogInstanceHoldsTheLock_WorkAndSayTheLockIsHeld()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);
        await using var running = await WriteAheadLog.OpenAsync(SampleLog.Options(dir));
        await running.AppendAsync("live/1", 0, [SampleLog.Json("{\"live\":1}")]);

        var inspect = await ToolRunner.RunAsync("inspect", dir);
        var validate = await ToolRunner.RunAsync("validate", dir);
        var dump = await ToolRunner.RunAsync("dump", dir, "--stream", "live/1");
        var stats = await ToolRunner.RunAsync("stats", dir, "--json");

        Assert.True(inspect.ExitCode == ExitCodes.Ok, inspect.ToString());
        Assert.Contains("held by a running process", inspect.Out, StringComparison.Ordinal);
        Assert.True(validate.ExitCode == ExitCodes.Ok, validate.ToString());
        Assert.Contains("a running process holds the LOCK file", validate.Out, StringComparison.Ordinal);
        Assert.True(dump.ExitCode == ExitCodes.Ok, dump.ToString());
        Assert.Contains("{\"live\":1}", dump.Out, StringComparison.Ordinal);
        Assert.True(stats.ExitCode == ExitCodes.Ok, stats.ToString());
        var append = await running.AppendAsync("live/1", 1, [SampleLog.Json("{\"live\":2}")]);
        Assert.Equal(2, append.LastVersion);
    }

    [Fact]
    public async Task Validate_WhileAnotherLogInstanceAppends_FindsNoCorruption()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 5);
        await using var running = await WriteAheadLog.OpenAsync(SampleLog.Options(dir));
        using var stop = new CancellationTokenSource();
        long appended = 0;
        var warmedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var progress = new SemaphoreSlim(0);
        var writer = Task.Run(async () =>
        {
            var random = new Random(11);
            while (!stop.IsCancellationRequested)
            {
                string id = $"busy/{random.Next(20)}";
                await running.AppendAsync(id, ExpectedVersion.Any, [SampleLog.Json($"{{\"pad\":\"{new string('p', random.Next(1, 400))}\"}}")]);
                if (Interlocked.Increment(ref appended) == 50)
                {
                    warmedUp.TrySetResult();
                }

                progress.Release();
            }
        });
        await warmedUp.Task.WaitAsync(TimeSpan.FromSeconds(30));
        long before = Interlocked.Read(ref appended);

        // Validate again and again until the writer has appended 300 more batches (segments rotate meanwhile). Each
        // validation waits for at least one append since the previous one (no bound on how fast either side runs: the
        // 30 s only turns a writer that stopped for good into a failure instead of a hang).
        var runs = new List<ToolRun>();
        while (runs.Count < 5 || Interlocked.Read(ref appended) - before < 300)
        {
            Assert.False(writer.IsFaulted, writer.Exception?.Message);
            Assert.True(await progress.WaitAsync(TimeSpan.FromSeconds(30)), $"the writer made no progress after {Interlocked.Read(ref appended) - before} batches and {runs.Count} validations");
            runs.Add(await ToolRunner.RunAsync("validate", dir, "--allow-torn-tail"));
        }

        await stop.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(runs, r => Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString()));
    }
}
