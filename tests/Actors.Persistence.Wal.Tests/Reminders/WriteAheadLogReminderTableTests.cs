using Actors.Persistence.Wal.Reminders;
using Actors.Persistence.Wal.Tests.Support;
using Actors.Reminders;
using Actors.Runtime;
using Actors.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Persistence.Wal.Tests.Reminders;

/// <summary>The write-ahead-log reminder table on real log files, reopened between steps as a restart would.</summary>
public sealed class WriteAheadLogReminderTableTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(3);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-reminders-" + Guid.NewGuid().ToString("N"));
    private readonly List<WriteAheadLogStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (WriteAheadLogStore store in _stores)
        {
            await store.StopAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task UpsertRowAsync_AfterReopen_RowIsReadBackWithItsETag()
    {
        GrainId grain = GrainId.Create("clock", "1");
        string eTag = await (await OpenAsync()).UpsertRowAsync(grain, "r", Start, Period, default);

        WriteAheadLogReminderTable reopened = await ReopenAsync();

        Assert.Equal(new ReminderEntry(grain, "r", Start, Period, eTag, null), await reopened.ReadRowAsync(grain, "r", default));
        Assert.Equal([new ReminderEntry(grain, "r", Start, Period, eTag, null)], await reopened.ReadRowsAsync(grain, default));
    }

    [Fact]
    public async Task UpsertRowAsync_SameNameTwice_IssuesANewETagAndClearsTheLastTick()
    {
        WriteAheadLogReminderTable table = await OpenAsync();
        GrainId grain = GrainId.Create("clock", "2");
        string first = await table.UpsertRowAsync(grain, "r", Start, Period, default);
        await table.RecordTickAsync(grain, "r", first, Start, default);

        string second = await table.UpsertRowAsync(grain, "r", Start.AddHours(1), Period, default);

        Assert.NotEqual(first, second);
        Assert.Equal(new ReminderEntry(grain, "r", Start.AddHours(1), Period, second, null), await (await ReopenAsync()).ReadRowAsync(grain, "r", default));
    }

    [Fact]
    public async Task RemoveRowAsync_StaleETag_ReturnsFalseAndKeepsTheRow_CurrentETag_RemovesItDurably()
    {
        WriteAheadLogReminderTable table = await OpenAsync();
        GrainId grain = GrainId.Create("clock", "3");
        string stale = await table.UpsertRowAsync(grain, "r", Start, Period, default);
        string current = await table.UpsertRowAsync(grain, "r", Start, Period, default);

        Assert.False(await table.RemoveRowAsync(grain, "r", stale, default));
        Assert.NotNull(await (await ReopenAsync()).ReadRowAsync(grain, "r", default));
        Assert.True(await _lastTable!.RemoveRowAsync(grain, "r", current, default));

        Assert.Null(await (await ReopenAsync()).ReadRowAsync(grain, "r", default));
        Assert.False(await _lastTable!.RemoveRowAsync(grain, "r", current, default));
    }

    [Fact]
    public async Task RecordTickAsync_CurrentETag_SurvivesReopen_OtherETag_Ignored()
    {
        WriteAheadLogReminderTable table = await OpenAsync();
        GrainId grain = GrainId.Create("clock", "4");
        string eTag = await table.UpsertRowAsync(grain, "r", Start, Period, default);

        await table.RecordTickAsync(grain, "r", eTag, Start + (2 * Period), default);
        await table.RecordTickAsync(grain, "r", "999", Start + (9 * Period), default);

        Assert.Equal(Start + (2 * Period), (await (await ReopenAsync()).ReadRowAsync(grain, "r", default))!.LastTickTime);
    }

    [Fact]
    public async Task ManyWritesToOnePartition_ACheckpointIsWritten_AndReopenSeesEveryRow()
    {
        WriteAheadLogReminderTable table = await OpenAsync(partitions: 1);
        var eTags = new Dictionary<string, string>();
        for (int i = 0; i < 300; i++)
        {
            eTags[$"r{i % 40}"] = await table.UpsertRowAsync(GrainId.Create("clock", "many"), $"r{i % 40}", Start.AddMinutes(i), Period, default);
        }

        await table.RecordTickAsync(GrainId.Create("clock", "many"), "r7", eTags["r7"], Start, default);

        IEventLog log = (await _stores[^1].GetLogAsync());
        StreamInfo info = log.GetStreamInfo(WriteAheadLogReminderTable.StreamOf(0));
        Assert.Equal(301, info.Version);
        Assert.True(info.CheckpointVersion >= WriteAheadLogReminderTable.CheckpointEveryEvents, $"checkpoint at {info.CheckpointVersion}");

        IReadOnlyList<ReminderEntry> rows = await (await ReopenAsync(partitions: 1)).ReadPartitionAsync(0, default);
        Assert.Equal(40, rows.Count);
        Assert.All(rows, r => Assert.Equal(eTags[r.ReminderName], r.ETag));
        Assert.Equal(Start, rows.Single(r => r.ReminderName == "r7").LastTickTime);
    }

    [Fact]
    public async Task ConcurrentUpserts_ManyGrains_AllDurableWithDistinctETagsPerPartition()
    {
        WriteAheadLogReminderTable table = await OpenAsync(partitions: 8);
        GrainId[] grains = [.. Enumerable.Range(0, 500).Select(i => GrainId.Create("clock", $"c{i}"))];

        string[] eTags = await Task.WhenAll(grains.Select(g => table.UpsertRowAsync(g, "r", Start, Period, default)));

        var partitioner = new HashReminderPartitioner(8);
        Assert.All(grains.Select((g, i) => (Partition: partitioner.GetPartition(g), ETag: eTags[i])).GroupBy(x => x.Partition),
            group => Assert.Equal(group.Count(), group.Select(x => x.ETag).Distinct().Count()));
        WriteAheadLogReminderTable reopened = await ReopenAsync(partitions: 8);
        int total = 0;
        for (int p = 0; p < 8; p++)
        {
            total += (await reopened.ReadPartitionAsync(p, default)).Count;
        }

        Assert.Equal(500, total);
    }

    [Fact]
    public async Task Reopen_WithAnotherPartitionCount_FailsNamingBothCounts()
    {
        await (await OpenAsync(partitions: 16)).UpsertRowAsync(GrainId.Create("clock", "p"), "r", Start, Period, default);

        WriteAheadLogReminderTable reopened = await ReopenAsync(partitions: 32);
        ReminderException error = await Assert.ThrowsAsync<ReminderException>(() => reopened.ReadPartitionAsync(0, default));

        Assert.Contains("holds reminders in 16 partitions", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertRowAsync_AppendFails_TheWriteFailsAndTheNextReadReloadsWhatTheLogHolds()
    {
        var factory = new SharedLogFactory();
        WriteAheadLogStore store = factory.CreateStore();
        var table = new WriteAheadLogReminderTable(store, new HashReminderPartitioner(4), NullLogger<WriteAheadLogReminderTable>.Instance);
        GrainId grain = GrainId.Create("clock", "fail");
        string kept = await table.UpsertRowAsync(grain, "kept", Start, Period, default);
        factory.Log.FailAfterAppend = true;

        await Assert.ThrowsAnyAsync<Exception>(() => table.UpsertRowAsync(grain, "maybe", Start, Period, default));
        factory.Log.FailAfterAppend = false;

        // The failed append was stored by the log: the table must not forget it (it re-reads the stream).
        IReadOnlyList<ReminderEntry> rows = await table.ReadRowsAsync(grain, default);
        Assert.Equal(["kept", "maybe"], rows.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.Equal(("1", "1"), (kept, rows.Single(r => r.ReminderName == "kept").ETag));
        Assert.Equal("3", await table.UpsertRowAsync(grain, "after", Start, Period, default));
    }

    private WriteAheadLogReminderTable? _lastTable;

    private Task<WriteAheadLogReminderTable> OpenAsync(int partitions = 4) => ReopenAsync(partitions);

    private async Task<WriteAheadLogReminderTable> ReopenAsync(int partitions = 4)
    {
        foreach (WriteAheadLogStore open in _stores)
        {
            await open.StopAsync();
        }

        var store = new WriteAheadLogStore("Default", new WriteAheadLogStoreOptions { Directory = _directory, PreallocateSegments = false, SegmentSizeBytes = 4 * 1024 * 1024, MaxRecordSizeBytes = 256 * 1024, MaxEventSizeBytes = 16 * 1024 }, new FileEventLogFactory());
        _stores.Add(store);
        _lastTable = new WriteAheadLogReminderTable(store, new HashReminderPartitioner(partitions), NullLogger<WriteAheadLogReminderTable>.Instance);
        return _lastTable;
    }
}
