using System.Text.Json;
using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

public sealed class DumpCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Dump_ToVersion_ShowsEventsUpToThatVersion()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "ledger/1", "--to-version", "7", "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal(7, root.GetProperty("version").GetInt64());
        var events = root.GetProperty("events");
        Assert.Equal(7, events.GetArrayLength());
        Assert.Equal("json", events[6].GetProperty("payloadEncoding").GetString());
        Assert.Equal(7, events[6].GetProperty("payload").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Dump_AtTimestamp_ShowsEventsAppendedAtOrBeforeIt()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir);

        // ledger/1 event n is appended at Start + n minutes.
        string at = SampleLog.Start.AddMinutes(12).AddSeconds(30).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "ledger/1", "--at", at, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var events = doc.RootElement.GetProperty("events");
        Assert.Equal(12, doc.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(12, events.GetArrayLength());
        Assert.Equal(SampleLog.Start.AddMinutes(12), events[11].GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task Dump_StreamWithCheckpoint_ShowsCheckpointAndEventsAfterIt()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 25);

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "account/3", "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        var checkpoint = root.GetProperty("checkpoint");
        Assert.Equal(60, checkpoint.GetProperty("version").GetInt64());
        Assert.Equal("json", checkpoint.GetProperty("stateEncoding").GetString());
        Assert.True(checkpoint.GetProperty("state").TryGetProperty("balance", out _));
        Assert.Equal(75, root.GetProperty("version").GetInt64());
        var events = root.GetProperty("events");
        Assert.Equal(15, events.GetArrayLength());
        Assert.Equal(61, events[0].GetProperty("version").GetInt64());
        Assert.Equal("Deposited", events[0].GetProperty("payload").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Dump_BinaryPayload_ShowsHexInTextAndJson()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 3);

        var text = await ToolRunner.RunAsync("dump", dir, "--stream", "blob/1");
        var json = await ToolRunner.RunAsync("dump", dir, "--stream", "blob/1", "--json");

        Assert.True(text.ExitCode == ExitCodes.Ok, text.ToString());
        Assert.Contains("Events: 3", text.Out, StringComparison.Ordinal);
        Assert.Contains("5 bytes hex: 010203", text.Out, StringComparison.Ordinal);
        Assert.Contains("02ff", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        var first = doc.RootElement.GetProperty("events")[0];
        Assert.Equal("hex", first.GetProperty("payloadEncoding").GetString());
        Assert.Equal("01020301ff", first.GetProperty("payload").GetString());
    }

    [Fact]
    public async Task Dump_DeletedStream_SaysDeleted()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 2);

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "temp/1");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Version: 1 (deleted)", run.Out, StringComparison.Ordinal);
        Assert.Contains("Events: 0", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_UnknownStream_ReturnsOne()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 2);

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "nobody/1");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("'nobody/1' is not in the log", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_TimeBeforeTheFirstEvent_ShowsVersionZero()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 3);

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "ledger/1", "--at", "2025-12-31T23:00:00Z");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Version: 0", run.Out, StringComparison.Ordinal);
        Assert.Contains("Events: 0", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_BothBounds_ReturnsOne()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 2);

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "ledger/1", "--to-version", "1", "--at", "2026-01-01T00:00:00Z");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("either --to-version or --at", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_BadTimestamp_ReturnsOne()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 2);

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "ledger/1", "--at", "yesterday-ish");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("is not a timestamp", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_ReclaimedVersion_ReturnsOneAndSaysOldestAvailable()
    {
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, rounds: 60);
        var compact = await ToolRunner.RunAsync("compact", dir, "--reclaim-history");
        Assert.True(compact.ExitCode == ExitCodes.Ok, compact.ToString());

        var run = await ToolRunner.RunAsync("dump", dir, "--stream", "account/1", "--to-version", "2");

        Assert.True(run.ExitCode == ExitCodes.Error, run.ToString());
        Assert.Contains("oldest available version", run.Error, StringComparison.Ordinal);
    }
}
