using Actors.Journaling;
using Actors.Persistence.Wal.Tests.Support;
using Actors.TestingHost.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Tests.Journal;

/// <summary>The write-ahead-log journal adaptor passes the framework-neutral journal conformance suite.</summary>
public sealed class JournalConformanceTests
{
    private static readonly JournalConformanceModel<BankState, BankEvent> Model = new(
        amount => new BankDeposited(amount),
        e => (int)((BankDeposited)e).Amount,
        s => (int)s.Balance,
        (s, e) => s.Apply(e));

    /// <summary>A store that reclaims checkpointed events runs every scenario, erase included.</summary>
    [Fact]
    public async Task RunAllAsync_ReclaimingWriteAheadLogJournal_Conforms()
    {
        await using WriteAheadLogStore store = new SharedLogFactory().CreateStore(o => o.EventHistory = EventHistoryPolicy.ReclaimAfterCheckpoint);
        await Conformance(store).RunAllAsync();
    }

    /// <summary>A store that compresses records runs every scenario; its stored events are compressed records.</summary>
    [Fact]
    public async Task RunAllAsync_CompressingWriteAheadLogJournal_ConformsAndStoresCompressedRecords()
    {
        var logs = new SharedLogFactory();
        await using WriteAheadLogStore store = logs.CreateStore(o =>
        {
            o.EventHistory = EventHistoryPolicy.ReclaimAfterCheckpoint;
            o.Compression = RecordCompression.Brotli;
        });
        await Conformance(store).RunAllAsync();

        var id = new GrainId("bank", "compressed");
        IJournalAdaptor<BankState, BankEvent> adaptor = new WriteAheadLogJournalAdaptorFactory(store)
            .Create<BankState, BankEvent>(new JournalAdaptorContext(id, typeof(object), store.Name, Services));
        string memo = string.Concat(Enumerable.Repeat("quarterly statement line; ", 50));
        await adaptor.AppendAsync(0, [adaptor.PrepareEvents([new BankMemo(memo)])], CancellationToken.None);

        Actors.Wal.StoredEvent stored = Assert.Single(await logs.Log.ReadEventsAsync(GrainStreams.GetStreamId(id), 1, 1));
        Assert.Equal(0x80, stored.Payload.Span[3] & 0x80);
        Assert.True(stored.Payload.Length < memo.Length / 4, $"{stored.Payload.Length} bytes stored for a {memo.Length}-character memo");
        var next = new WriteAheadLogJournalAdaptorFactory(store).Create<BankState, BankEvent>(new JournalAdaptorContext(id, typeof(object), store.Name, Services));
        await foreach (JournalEntry<BankEvent> entry in next.ReadEventsAsync(1, 1, CancellationToken.None))
        {
            Assert.Equal(memo, Assert.IsType<BankMemo>(entry.Event).Text);
        }
    }

    /// <summary>The default store (keeps every event) runs every scenario but the erase, which it rejects (below).</summary>
    [Fact]
    public async Task CoreScenarios_KeepAllWriteAheadLogJournal_Conform()
    {
        await using WriteAheadLogStore store = new SharedLogFactory().CreateStore();
        JournalAdaptorConformance<BankState, BankEvent> conformance = Conformance(store);
        await conformance.NewJournal_NoCheckpointNoEvents();
        await conformance.Append_ReadByNextActivation_EventsInOrderWithVersions();
        await conformance.Append_WrongExpectedVersion_FailsAndStoresNothing();
        await conformance.CheckpointPlusLaterEvents_ReproduceState();
    }

    /// <summary>A store that keeps every event erases too: the events up to the version go, the later ones stay readable.</summary>
    [Fact]
    public async Task EraseHistoryAsync_KeepAllStore_ErasesUpToTheVersionAndKeepsTheLaterEvents()
    {
        var logs = new SharedLogFactory();
        await using WriteAheadLogStore store = logs.CreateStore();
        var id = new GrainId("bank", "keep-all");
        IJournalAdaptor<BankState, BankEvent> adaptor = new WriteAheadLogJournalAdaptorFactory(store)
            .Create<BankState, BankEvent>(new JournalAdaptorContext(id, typeof(object), store.Name, Services));
        await adaptor.AppendAsync(0, [adaptor.PrepareEvents([new BankDeposited(1), new BankDeposited(2), new BankDeposited(3)])], CancellationToken.None);

        await adaptor.EraseHistoryAsync(new BankState { Balance = 6 }, 3, 1, CancellationToken.None);

        string stream = GrainStreams.GetStreamId(id);
        await Assert.ThrowsAsync<Actors.Wal.EventsReclaimedException>(async () => await logs.Log.ReadEventsAsync(stream, 1, 3));
        Assert.Equal(2, (await logs.Log.ReadEventsAsync(stream, 2, 3)).Count);
        Assert.Equal(3, logs.Log.GetStreamInfo(stream).CheckpointVersion);
    }

    /// <summary>A state the codec cannot encode: the checkpoint that must precede the erase is a typed rejection, and nothing is erased.</summary>
    [Fact]
    public async Task EraseHistoryAsync_StateTheCodecCannotEncode_RejectsAndErasesNothing()
    {
        var logs = new SharedLogFactory();
        await using WriteAheadLogStore store = logs.CreateStore(o => o.EventHistory = EventHistoryPolicy.ReclaimAfterCheckpoint);
        var id = new GrainId("bank", "unencodable");
        IJournalAdaptor<UnencodableState, BankEvent> adaptor = new WriteAheadLogJournalAdaptorFactory(store)
            .Create<UnencodableState, BankEvent>(new JournalAdaptorContext(id, typeof(object), store.Name, Services));
        await adaptor.AppendAsync(0, [adaptor.PrepareEvents([new BankDeposited(1)])], CancellationToken.None);

        var rejected = await Assert.ThrowsAsync<HistoryEraseRejectedException>(
            () => adaptor.EraseHistoryAsync(new UnencodableState(), 1, 1, CancellationToken.None));

        Assert.Contains("cannot be encoded", rejected.Message, StringComparison.Ordinal);
        Assert.Single(await logs.Log.ReadEventsAsync(GrainStreams.GetStreamId(id), 1, 1));
    }

    private static readonly ServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    private static JournalAdaptorConformance<BankState, BankEvent> Conformance(WriteAheadLogStore store) => new(
        new WriteAheadLogJournalAdaptorFactory(store),
        id => new JournalAdaptorContext(id, typeof(object), store.Name, Services),
        Model);

    /// <summary>A state whose property getter throws, so no codec can encode it.</summary>
    public sealed class UnencodableState
    {
        public decimal Balance { get; set; }

        public string Poison => throw new NotSupportedException("this state cannot be read");
    }
}
