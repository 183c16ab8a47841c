using System.Security.Cryptography;
using System.Text.Json;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Compatibility;

/// <summary>
/// Logs written by the format-v1 engine (tests/Fixtures/wal-v1, see its README) must open and read exactly as the
/// engine that wrote them read them back (expected.json: versions, LSNs, timestamps, SHA-256 of every payload), keep
/// accepting appends, and reopen to the same contents.
/// </summary>
public sealed class FormatV1FixtureTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> Fixtures => new() { "engine", "crashed", "grains" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task OpenAsync_FormatV1Log_EveryStreamReadsAsWritten(string fixture)
    {
        var expected = Load(fixture);
        await using var log = await WriteAheadLog.OpenAsync(Options());

        await AssertStreamsAsync(log, expected, fixture);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task OpenAsync_FormatV1LogAppendedAndReopened_OldStreamsUnchangedAndNewRecordsRead(string fixture)
    {
        var expected = Load(fixture);
        await using (var log = await WriteAheadLog.OpenAsync(Options()))
        {
            foreach (var stream in expected.Streams.Where(s => !s.IsDeleted).Take(3))
            {
                await log.AppendAsync(stream.Id, stream.Version, [new byte[] { 1, 2, 3 }]);
            }

            await log.AppendAsync("fixture/new-stream", ExpectedVersion.NoStream, [new byte[] { 4, 5 }]);
        }

        await using var reopened = await WriteAheadLog.OpenAsync(Options());
        var appended = expected.Streams.Where(s => !s.IsDeleted).Take(3).Select(s => s.Id).ToHashSet();
        await AssertStreamsAsync(reopened, expected with { Streams = expected.Streams.Where(s => !appended.Contains(s.Id)).ToList() }, fixture);
        foreach (var stream in expected.Streams.Where(s => appended.Contains(s.Id)))
        {
            var read = await reopened.ReadStreamAsync(stream.Id);
            Assert.Equal(stream.Version + 1, read.Version);
            Assert.Equal(new byte[] { 1, 2, 3 }, read.Events[^1].Payload.ToArray());
        }

        Assert.Equal(1, (await reopened.ReadStreamAsync("fixture/new-stream")).Version);
    }

    private WriteAheadLogOptions Options() => new()
    {
        Directory = _dir.Path,
        // No space management: the test compares every event the fixture still held, reclaimable ones included.
        CompactionLiveRatio = 0,
        RetainSegmentCount = 1000,
    };

    private static async Task AssertStreamsAsync(WriteAheadLog log, Expected expected, string fixture)
    {
        Assert.NotEmpty(expected.Streams);
        foreach (var stream in expected.Streams)
        {
            string where = $"{fixture}: stream '{stream.Id}'";
            var info = log.GetStreamInfo(stream.Id);
            Assert.True((stream.Version, stream.CheckpointVersion, stream.IsDeleted) == (info.Version, info.CheckpointVersion, info.IsDeleted),
                $"{where}: info expected {(stream.Version, stream.CheckpointVersion, stream.IsDeleted)}, actual {(info.Version, info.CheckpointVersion, info.IsDeleted)}");
            var read = await log.ReadStreamAsync(stream.Id);
            Assert.True((stream.Read.Version, stream.Read.IsDeleted) == (read.Version, read.IsDeleted), $"{where}: read version/deleted");
            Assert.True(stream.Read.Checkpoint?.Key == (read.Checkpoint is { } c ? Key(c.Version, c.Lsn, c.Timestamp, c.State) : null), $"{where}: checkpoint");
            Assert.Equal(stream.Read.Events.Select(e => e.Key), read.Events.Select(e => Key(e.Version, e.Lsn, e.Timestamp, e.Payload)));
            if (stream.History.ValueKind == JsonValueKind.Array)
            {
                var history = await log.ReadEventsAsync(stream.Id, 1, stream.Version);
                Assert.Equal(stream.History.Deserialize<List<ExpectedItem>>(Json)!.Select(e => e.Key), history.Select(e => Key(e.Version, e.Lsn, e.Timestamp, e.Payload)));
            }
            else
            {
                var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(() => log.ReadEventsAsync(stream.Id, 1, stream.Version).AsTask());
                Assert.Equal(stream.History.GetProperty("OldestAvailableVersion").GetInt64(), reclaimed.OldestAvailableVersion);
            }
        }
    }

    private static string Key(long version, long lsn, DateTimeOffset timestamp, ReadOnlyMemory<byte> payload)
        => $"{version}/{lsn}/{timestamp.UtcTicks}/{Convert.ToHexStringLower(SHA256.HashData(payload.Span))}";

    private Expected Load(string fixture)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "wal-v1", fixture);
        foreach (string file in Directory.GetFiles(source))
        {
            if (Path.GetFileName(file) != "expected.json")
            {
                File.Copy(file, Path.Combine(_dir.Path, Path.GetFileName(file)));
            }
        }

        return JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path.Combine(source, "expected.json")), Json)!;
    }

    public void Dispose() => _dir.Dispose();

    private sealed record Expected(List<ExpectedStream> Streams);

    private sealed record ExpectedStream(string Id, long Version, long CheckpointVersion, bool IsDeleted, ExpectedRead Read, JsonElement History)
    {
        public override string ToString() => Id;
    }

    private sealed record ExpectedRead(long Version, bool IsDeleted, ExpectedItem? Checkpoint, List<ExpectedItem> Events);

    private sealed record ExpectedItem(long Version, long Lsn, long Ticks, string Sha256)
    {
        public string Key => $"{Version}/{Lsn}/{Ticks}/{Sha256}";
    }
}
