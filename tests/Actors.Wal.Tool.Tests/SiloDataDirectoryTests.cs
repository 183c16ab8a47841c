using System.Diagnostics;
using System.Text.Json;
using Actors.Demo.Grains.Accounts;
using Actors.Demo.Grains.Customers;
using Actors.Silo;
using Actors.Wal.Tool.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Wal.Tool.Tests;

/// <summary>The tool on what the silo writes: the silo executable's data directory, filled by the real grain storage provider.</summary>
public sealed class SiloDataDirectoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private WebApplication CreateSilo() => SiloApplication.Create([$"--Actors:DataDirectory={_temp.Path}", "--Actors:Gateway:Port=0", "--Actors:Health:Port=0"]);

    /// <summary>Deposits into account/a1 (<paramref name="deposits"/> times) and account/a2 (once), renames customer/c1.</summary>
    private static async Task WriteAsync(WebApplication silo, int deposits)
    {
        IGrainFactory grains = silo.Services.GetRequiredService<IGrainFactory>();
        for (int i = 1; i <= deposits; i++)
        {
            await grains.GetGrain<IBankAccountGrain>("a1").Deposit(i, $"dep-{i}");
        }

        await grains.GetGrain<IBankAccountGrain>("a2").Deposit(7, "only");
        await grains.GetGrain<ICustomerGrain>("c1").Rename("Ada Lovelace");
    }

    private async Task<string> WriteAndStopAsync(int deposits)
    {
        await using WebApplication silo = CreateSilo();
        await silo.StartAsync();
        await WriteAsync(silo, deposits);
        await silo.StopAsync();
        return Path.Combine(_temp.Path, SiloComposition.DefaultLogDirectoryName);
    }

    /// <summary>Writes, then runs <paramref name="check"/> while the silo still runs (before deactivation writes final checkpoints).</summary>
    private async Task WhileRunningAsync(int deposits, Func<Task> check)
    {
        await using WebApplication silo = CreateSilo();
        await silo.StartAsync();
        await WriteAsync(silo, deposits);
        await check();
        await silo.StopAsync();
    }

    [Fact]
    public async Task Streams_SiloDataDirectory_FindsTheLogAndListsGrainStreamsWithVersions()
    {
        string log = await WriteAndStopAsync(deposits: 3);

        var run = await ToolRunner.RunAsync("streams", _temp.Path);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains($"Log {log} (found under {_temp.Path})", run.Out, StringComparison.Ordinal);
        string[] a1 = Row(run.Out, "account/a1");
        Assert.Equal("3", a1[1]);   // version: three deposits
        Assert.Equal("1", Row(run.Out, "account/a2")[1]);
        Assert.Contains("customer/c1", run.Out, StringComparison.Ordinal);

        var json = await ToolRunner.RunAsync("streams", _temp.Path, "--json", "--prefix", "account/");
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(["account/a1", "account/a2"], document.RootElement.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.True(document.RootElement.GetProperty("streams")[0].GetProperty("bytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Dump_JournaledGrainStream_ShowsEventsByTypeNameWithJsonPayloads()
        => await WhileRunningAsync(deposits: 2, async () =>
    {
        var run = await ToolRunner.RunAsync("dump", _temp.Path, "--stream", "account/a1");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("event 'account-deposited' json: {\"amount\":1,\"reference\":\"dep-1\"}", run.Out, StringComparison.Ordinal);
        Assert.Contains("event 'account-deposited' json: {\"amount\":2,\"reference\":\"dep-2\"}", run.Out, StringComparison.Ordinal);

        var json = await ToolRunner.RunAsync("dump", _temp.Path, "--stream", "account/a1", "--json");
        using var document = JsonDocument.Parse(json.Out);
        JsonElement first = document.RootElement.GetProperty("events")[0];
        Assert.Equal("journal-event", first.GetProperty("kind").GetString());
        Assert.Equal("account-deposited", first.GetProperty("eventType").GetString());
        Assert.Equal(1, first.GetProperty("payload").GetProperty("amount").GetInt32());

        var raw = await ToolRunner.RunAsync("dump", _temp.Path, "--stream", "account/a1", "--raw");
        Assert.Contains("hex: a7", raw.Out, StringComparison.Ordinal);   // the envelope's magic byte, undecoded
    });

    [Fact]
    public async Task Dump_PersistentStateGrainStream_ShowsNamedStatesWrittenTogether()
        => await WhileRunningAsync(deposits: 1, async () =>
    {
        var run = await ToolRunner.RunAsync("dump", _temp.Path, "--stream", "customer/c1");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("state 'profile' written json: {", run.Out, StringComparison.Ordinal);
        Assert.Contains("Ada Lovelace", run.Out, StringComparison.Ordinal);
        Assert.Contains("state 'activity' written json: {", run.Out, StringComparison.Ordinal);
    });

    [Fact]
    public async Task Dump_AfterACheckpoint_ShowsTheCheckpointPartsAndLaterEvents()
        => await WhileRunningAsync(deposits: 102, async () =>
    {
        // The demo account checkpoints every 100 events, staggered by its stream's phase: at the versions v with
        // (v + phase) % 100 == 0. Each was handed to the log before the next deposit's append, so it is on disk now.
        long phase = new Actors.Persistence.Wal.CheckpointPolicy(100, 0, false).PhaseOf("account/a1");
        long checkpoint = Enumerable.Range(1, 101).Last(v => (v + phase) % 100 == 0);

        var run = await ToolRunner.RunAsync("dump", _temp.Path, "--stream", "account/a1");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("(grain checkpoint, 1 part(s))", run.Out, StringComparison.Ordinal);
        Assert.Contains($"  journal state at v{checkpoint} json: {{", run.Out, StringComparison.Ordinal);
        Assert.Contains($"Events: {102 - checkpoint}", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"reference\":\"dep-102\"", run.Out, StringComparison.Ordinal);
    });

    [Fact]
    public async Task Dump_UnknownStream_SaysHowToListStreams()
    {
        await WriteAndStopAsync(deposits: 1);

        var run = await ToolRunner.RunAsync("dump", _temp.Path, "--stream", "account/nope");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("actors-wal streams", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAndStats_WhileTheSiloRuns_SayLiveNeverCleanShutdown_AfterAStop_SayClosedCleanly()
    {
        await using (WebApplication silo = CreateSilo())
        {
            await silo.StartAsync();
            await WriteAsync(silo, deposits: 3);

            var inspect = await ToolRunner.RunAsync("inspect", _temp.Path);
            Assert.True(inspect.ExitCode == ExitCodes.Ok, inspect.ToString());
            Assert.Contains("| State ", inspect.Out, StringComparison.Ordinal);
            Assert.Contains("live: a running process has the log open", inspect.Out, StringComparison.Ordinal);
            Assert.Contains("silo.lock held: a silo runs on it", inspect.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("(written at a clean shutdown", inspect.Out, StringComparison.Ordinal);

            var stats = await ToolRunner.RunAsync("stats", _temp.Path);
            Assert.True(stats.ExitCode == ExitCodes.Ok, stats.ToString());
            Assert.Contains("| Clean shutdown            | n/a: the log is open in a running process", stats.Out, StringComparison.Ordinal);
            var statsJson = await ToolRunner.RunAsync("stats", _temp.Path, "--json");
            using var document = JsonDocument.Parse(statsJson.Out);
            Assert.True(document.RootElement.GetProperty("live").GetBoolean());
            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("recovery").GetProperty("cleanShutdown").ValueKind);
            await silo.StopAsync();
        }

        var after = await ToolRunner.RunAsync("inspect", _temp.Path);
        Assert.Contains("closed cleanly: the last process closed the log", after.Out, StringComparison.Ordinal);
        Assert.Contains("silo.lock free: no silo runs on it", after.Out, StringComparison.Ordinal);
        var afterStats = await ToolRunner.RunAsync("stats", _temp.Path);
        Assert.Contains("| Clean shutdown            | yes", afterStats.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_SegmentFiles_ReportsTheBytesAllocatedOnDiskAsStatDoes()
    {
        string log = await WriteAndStopAsync(deposits: 3);

        var run = await ToolRunner.RunAsync("inspect", _temp.Path, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var document = JsonDocument.Parse(run.Out);
        long allocated = document.RootElement.GetProperty("allocatedBytes").GetInt64();
        long expected = Directory.GetFiles(log, "*.wal").Sum(StatAllocatedBytes);
        Assert.Equal(expected, allocated);
        Assert.Equal("closed-cleanly", document.RootElement.GetProperty("state").GetString());
        long records = document.RootElement.GetProperty("recordBytes").GetInt64();
        Assert.True(allocated > records, $"a preallocated segment occupies more than its {records} record bytes; allocated {allocated}");
    }

    /// <summary>Allocated bytes as coreutils' stat reports them (blocks x block unit): an independent source.</summary>
    private static long StatAllocatedBytes(string path)
    {
        var info = new ProcessStartInfo("stat", ["--format=%b %B", path]) { RedirectStandardOutput = true };
        using Process stat = Process.Start(info)!;
        string[] parts = stat.StandardOutput.ReadToEnd().Trim().Split(' ');
        stat.WaitForExit();
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The cells of the plain-text table row whose first cell is <paramref name="id"/>.</summary>
    private static string[] Row(string output, string id)
        => output.Split('\n').Select(l => l.Split('|', StringSplitOptions.TrimEntries)).First(c => c.Length > 2 && c[1] == id)[1..^1];
}
