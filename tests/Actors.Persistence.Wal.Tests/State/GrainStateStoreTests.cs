using Actors.Persistence.Wal.Tests.Support;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.State;

public sealed class GrainStateStoreTests
{
    private static readonly GrainId Grain = GrainId.Create("profile", "ada");
    private static readonly CheckpointPolicy NoCheckpoints = new(0, 0, false);

    public sealed record Profile(string Name, int Age);

    public sealed record Audit(List<string> Entries);

    private static StateChange Write(string name, object value, string? etag) => new(name, value.GetType(), value, etag, false);

    [Fact]
    public async Task WriteAsync_ThenReadFromFreshStore_ReturnsValueTagAndExists()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        Assert.Equal(new StateSnapshot(null, null, false), await store.ReadAsync(Grain, "profile", typeof(Profile)));

        IReadOnlyList<string?> tags = await store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null)], NoCheckpoints);
        Assert.Equal(["1"], tags);

        var fresh = new GrainStateStore(factory.CreateStore());
        StateSnapshot read = await fresh.ReadAsync(Grain, "profile", typeof(Profile));
        Assert.Equal(new StateSnapshot(new Profile("Ada", 36), "1", true), read);
    }

    [Fact]
    public async Task WriteAsync_CancelledAfterDurableAppend_ReportsSuccessAndStillCheckpoints()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        using var cts = new CancellationTokenSource();
        factory.Log.AfterAppend = cts.Cancel;

        IReadOnlyList<string?> tags = await store.WriteAsync(
            Grain, [Write("profile", new Profile("Ada", 36), null)], new CheckpointPolicy(1, 0, false), cts.Token);

        Assert.Equal(["1"], tags);
        Assert.Equal(1, factory.Log.Checkpoints);
        Assert.Equal(1, factory.Log.GetStreamInfo("profile/ada").CheckpointVersion);
    }

    [Fact]
    public async Task WriteAsync_CheckpointDue_ReturnsWithoutWaitingForTheCheckpointWhichThenLands()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        var slowCheckpoint = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Log.CheckpointGate = slowCheckpoint.Task;

        // Due at every write: the write returns (durable) while its checkpoint is still held back.
        IReadOnlyList<string?> tags = await store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null)], new CheckpointPolicy(1, 0, false))
            .WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(["1"], tags);
        Assert.Equal(0, factory.Log.Checkpoints);
        Assert.False(store.Forget(Grain), "a grain whose checkpoint is in flight must not be evicted");

        slowCheckpoint.SetResult();
        await store.WhenCheckpointsWrittenAsync(Grain).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(1, factory.Log.Checkpoints);
        Assert.Equal(1, factory.Log.GetStreamInfo("profile/ada").CheckpointVersion);
        Assert.True(store.Forget(Grain));
        Assert.Equal(new StateSnapshot(new Profile("Ada", 36), "1", true), await new GrainStateStore(factory.CreateStore()).ReadAsync(Grain, "profile", typeof(Profile)));
    }

    [Fact]
    public async Task WriteAsync_StaleETag_ThrowsAndStoresNothing()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        await store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null)], NoCheckpoints);

        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(Grain, [Write("profile", new Profile("Eve", 1), null)], NoCheckpoints));
        Assert.Contains("has tag '1'", ex.Message, StringComparison.Ordinal);
        ex = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(Grain, [Write("profile", new Profile("Eve", 1), "7")], NoCheckpoints));
        Assert.Contains("presented '7'", ex.Message, StringComparison.Ordinal);

        Assert.Equal(1, factory.Log.GetStreamInfo("profile/ada").Version);
        Assert.Equal(new Profile("Ada", 36), (await store.ReadAsync(Grain, "profile", typeof(Profile))).State);
    }

    [Fact]
    public async Task WriteAsync_TwoNamedStates_OneAtomicAppend()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());

        IReadOnlyList<string?> tags = await store.WriteAsync(Grain,
            [Write("profile", new Profile("Ada", 36), null), Write("audit", new Audit(["created"]), null)], NoCheckpoints);

        Assert.Equal(["1", "2"], tags);
        Assert.Equal(1, factory.Log.Appends);
        var fresh = new GrainStateStore(factory.CreateStore());
        Assert.Equal("2", (await fresh.ReadAsync(Grain, "audit", typeof(Audit))).ETag);
        Assert.Equal(["created"], ((Audit)(await fresh.ReadAsync(Grain, "audit", typeof(Audit))).State!).Entries);
    }

    [Fact]
    public async Task WriteAsync_OneStaleTagInBatch_NothingIsStored()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        await store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null)], NoCheckpoints);

        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(Grain,
            [Write("audit", new Audit(["x"]), null), Write("profile", new Profile("Ada", 37), null)], NoCheckpoints));

        Assert.Equal(1, factory.Log.GetStreamInfo("profile/ada").Version);
        Assert.False((await store.ReadAsync(Grain, "audit", typeof(Audit))).RecordExists);
    }

    [Fact]
    public async Task WriteAsync_Clear_RemovesRecordAndTag()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        await store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null)], NoCheckpoints);

        IReadOnlyList<string?> tags = await store.WriteAsync(Grain, [new StateChange("profile", typeof(Profile), null, "1", true)], NoCheckpoints);

        Assert.Equal([null], tags);
        Assert.Equal(new StateSnapshot(null, null, false), await new GrainStateStore(factory.CreateStore()).ReadAsync(Grain, "profile", typeof(Profile)));
        Assert.Equal(["3"], await store.WriteAsync(Grain, [Write("profile", new Profile("Bob", 1), null)], NoCheckpoints));
    }

    [Fact]
    public async Task WriteAsync_CheckpointPolicy_CheckpointHoldsAllStatesAndReloads()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        var policy = new CheckpointPolicy(3, 0, false);
        await store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null), Write("audit", new Audit(["a"]), null)], policy);
        await store.WriteAsync(Grain, [Write("audit", new Audit(["a", "b"]), "2")], policy);
        await store.WriteAsync(Grain, [Write("audit", new Audit(["a", "b", "c"]), "3")], policy);

        StreamReadResult read = await factory.Log.ReadStreamAsync("profile/ada");
        Assert.Equal(3, read.Checkpoint!.Version);
        Assert.Single(read.Events);
        var fresh = new GrainStateStore(factory.CreateStore());
        Assert.Equal(new StateSnapshot(new Profile("Ada", 36), "1", true), await fresh.ReadAsync(Grain, "profile", typeof(Profile)));
        StateSnapshot audit = await fresh.ReadAsync(Grain, "audit", typeof(Audit));
        Assert.Equal(("4", 3), (audit.ETag, ((Audit)audit.State!).Entries.Count));
    }

    [Fact]
    public async Task WriteAsync_OversizedState_RejectedNothingStored()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore(o => o.MaxEventSizeBytes = 100));

        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(Grain, [Write("profile", new Profile(new string('x', 200), 1), null)], NoCheckpoints));

        Assert.Contains("MaxEventSizeBytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, factory.Log.Appends);
        Assert.Equal(["1"], await store.WriteAsync(Grain, [Write("profile", new Profile("ok", 1), null)], NoCheckpoints));
    }

    [Fact]
    public async Task WriteAsync_LogFails_ThrowsFailedAndReloadsFromLogNextTime()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        factory.Log.FailAfterAppend = true;

        await Assert.ThrowsAsync<GrainStorageFailedException>(() => store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null)], NoCheckpoints));

        factory.Log.FailAfterAppend = false;
        Assert.Equal(new StateSnapshot(new Profile("Ada", 36), "1", true), await store.ReadAsync(Grain, "profile", typeof(Profile)));
    }

    [Fact]
    public async Task WriteAsync_MoreGrainsThanCacheLimit_EvictsIdleGrainsAndTagsStayValid()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore(o => o.MaxCachedGrains = 10));
        for (int i = 0; i < 50; i++)
        {
            await store.WriteAsync(GrainId.Create("profile", $"p{i}"), [Write("profile", new Profile($"n{i}", i), null)], NoCheckpoints);
        }

        Assert.InRange(store.CachedGrains, 1, 10);
        for (int i = 0; i < 50; i++)
        {
            GrainId id = GrainId.Create("profile", $"p{i}");
            Assert.Equal(new StateSnapshot(new Profile($"n{i}", i), "1", true), await store.ReadAsync(id, "profile", typeof(Profile)));
            Assert.Equal(["2"], await store.WriteAsync(id, [Write("profile", new Profile($"n{i}", i + 1), "1")], NoCheckpoints));
        }
    }

    [Fact]
    public async Task Forget_IdleGrain_DropsCacheAndNextReadReloads()
    {
        var factory = new SharedLogFactory();
        var store = new GrainStateStore(factory.CreateStore());
        await store.WriteAsync(Grain, [Write("profile", new Profile("Ada", 36), null)], NoCheckpoints);

        Assert.True(store.Forget(Grain));
        Assert.Equal(0, store.CachedGrains);
        Assert.False(store.Forget(Grain));
        Assert.Equal(new StateSnapshot(new Profile("Ada", 36), "1", true), await store.ReadAsync(Grain, "profile", typeof(Profile)));
    }

    [Fact]
    public async Task ReadAsync_StreamHoldsJournalEvents_FailsExplainingTheMix()
    {
        var factory = new SharedLogFactory();
        byte[] journalRecord = new Actors.Persistence.Wal.Format.GrainRecord(Actors.Persistence.Wal.Format.GrainRecordKind.JournalEvent, "", "x", "{}"u8.ToArray()).ToArray();
        await factory.Log.AppendAsync("profile/ada", 0, [journalRecord]);

        var ex = await Assert.ThrowsAsync<GrainStorageLoadException>(() => new GrainStateStore(factory.CreateStore()).ReadAsync(Grain, "profile", typeof(Profile)));

        Assert.Contains("journal events", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Version);
    }
}
