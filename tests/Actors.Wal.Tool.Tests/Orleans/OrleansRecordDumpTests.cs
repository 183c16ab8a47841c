using System.Text.Json;
using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests.Orleans;

/// <summary><c>dump</c> and <c>streams</c> on what the Orleans providers wrote: grain, kind, version and codec, not hex.</summary>
public sealed class OrleansRecordDumpTests(OrleansSiloLog silo) : IClassFixture<OrleansSiloLog>
{
    private const string Journal = "j/WriteAheadLog/tally/t1";
    private const string SnapshotJournal = "j/WriteAheadLog/snapshottally/s1";
    private const string State = "s/Default/profile/profile/ada";

    [Fact]
    public async Task Dump_JournaledGrainStream_ShowsGrainAndEachEventsKindVersionAndCodec()
    {
        var run = await ToolRunner.RunAsync("dump", silo.Directory, "--stream", Journal);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Grain: events of tally/t1 (log-consistency provider 'WriteAheadLog')", run.Out, StringComparison.Ordinal);
        Assert.Contains("Events: 3", run.Out, StringComparison.Ordinal);
        foreach (int version in new[] { 1, 2, 3 })
        {
            Assert.Matches($@"  v{version} LSN \d+ \S+ \d+ bytes event codec Orleans hex: ", run.Out);
        }

        var json = await ToolRunner.RunAsync("dump", silo.Directory, "--stream", Journal, "--json");
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("tally/t1", document.RootElement.GetProperty("grain").GetString());
        Assert.Equal("journal", document.RootElement.GetProperty("streamKind").GetString());
        JsonElement first = document.RootElement.GetProperty("events")[0];
        Assert.Equal(1, first.GetProperty("version").GetInt64());
        Assert.Equal("event", first.GetProperty("kind").GetString());
        Assert.Equal("Orleans", first.GetProperty("codec").GetString());
    }

    [Fact]
    public async Task Dump_GrainStateStream_ShowsStateNameKindCodecTypeAndJsonValue()
    {
        var run = await ToolRunner.RunAsync("dump", silo.Directory, "--stream", State);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Grain: state 'profile' of profile/ada (grain storage provider 'Default')", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"  v1 LSN \d+ \S+ \d+ bytes state '[^']*ProfileState[^']*' codec SystemTextJson json: \{""Name"":""Ada Lovelace""\}", run.Out);

        var json = await ToolRunner.RunAsync("dump", silo.Directory, "--stream", State, "--json");
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("profile", document.RootElement.GetProperty("stateName").GetString());
        JsonElement write = document.RootElement.GetProperty("events")[0];
        Assert.Equal(("state", "SystemTextJson"), (write.GetProperty("kind").GetString(), write.GetProperty("codec").GetString()));
        Assert.Equal("Ada Lovelace", write.GetProperty("payload").GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Dump_CheckpointedJournal_ShowsTheSnapshotRecord()
    {
        var run = await ToolRunner.RunAsync("dump", silo.Directory, "--stream", SnapshotJournal);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Matches(@"Checkpoint: version 2, LSN \d+, \S+, \d+ bytes \(snapshot, codec Orleans\)", run.Out);
        Assert.Contains("  snapshot codec Orleans hex: ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_Raw_ShowsTheEnvelopeUndecoded()
    {
        var run = await ToolRunner.RunAsync("dump", silo.Directory, "--stream", Journal, "--raw");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("bytes hex: b101", run.Out, StringComparison.Ordinal);   // magic 0xB1, format version 1
        Assert.DoesNotContain("event codec", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_OrleansLog_ListsTheGrainStreamsWithVersions()
    {
        var run = await ToolRunner.RunAsync("streams", silo.Directory, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        using var document = JsonDocument.Parse(run.Out);
        Dictionary<string, long> versions = document.RootElement.GetProperty("streams").EnumerateArray()
            .ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("version").GetInt64());
        Assert.Equal(3, versions[Journal]);
        Assert.Equal(2, versions[SnapshotJournal]);
        Assert.Equal(1, versions[State]);
    }
}
