using Actors.Journaling;
using Actors.Serialization;
using Actors.Storage;
using Actors.TestingHost.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Storage;

public sealed class ConformanceTests
{
    private static readonly ServiceProvider JournalServices = new ServiceCollection()
        .AddSingleton<IGrainSerializer>(new JsonGrainSerializer())
        .BuildServiceProvider();

    private static JournalAdaptorContext Context(GrainId id)
        => new(id, typeof(object), "journal", JournalServices);

    [Fact]
    public Task RunAllAsync_MemoryGrainStorage_Conforms()
        => new GrainStorageConformance(new MemoryGrainStorage(new JsonGrainSerializer())).RunAllAsync();

    [Fact]
    public Task RunAllAsync_MemoryJournalStore_Conforms()
        => new JournalAdaptorConformance<ConformanceJournalState, ConformanceEvent>(new MemoryJournalAdaptorFactory(), Context, JournalConformanceModels.Default).RunAllAsync();

    [Fact]
    public async Task EraseHistoryAsync_MemoryJournalStoreWithoutSerializer_RejectsAndKeepsEvents()
    {
        var factory = new MemoryJournalAdaptorFactory();
        var id = new GrainId("conformancejournal", "no-serializer");
        JournalAdaptorContext context = new(id, typeof(object), "journal", new ServiceCollection().BuildServiceProvider());
        IJournalAdaptor<ConformanceJournalState, ConformanceEvent> adaptor = factory.Create<ConformanceJournalState, ConformanceEvent>(context);
        await adaptor.AppendAsync(0, [adaptor.PrepareEvents([new ConformanceEvent(7)])], CancellationToken.None);

        var rejected = await Assert.ThrowsAsync<HistoryEraseRejectedException>(
            () => adaptor.EraseHistoryAsync(new ConformanceJournalState { Total = 7 }, 1, 1, CancellationToken.None));

        Assert.Contains("IGrainSerializer", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(id, rejected.GrainId);
        var events = new List<JournalEntry<ConformanceEvent>>();
        await foreach (JournalEntry<ConformanceEvent> entry in adaptor.ReadEventsAsync(1, 1, CancellationToken.None))
        {
            events.Add(entry);
        }

        Assert.Equal(7, Assert.Single(events).Event.Amount);
    }

    [Fact]
    public async Task RunAllAsync_StorageIgnoringEtags_ReportsTheViolatedRule()
    {
        ConformanceException error = await Assert.ThrowsAsync<ConformanceException>(() => new GrainStorageConformance(new EtagIgnoringStorage()).RunAllAsync());
        Assert.Contains("InconsistentStateException", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Stores states but never checks ETags: the conformance suite must notice.</summary>
    private sealed class EtagIgnoringStorage : IGrainStorage
    {
        private readonly Dictionary<(GrainId, string), (ConformanceState State, string ETag)> _records = [];

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_records.TryGetValue((grainId, stateName), out var record))
            {
                grainState.State = (T)(object)new ConformanceState { Value = record.State.Value, Text = record.State.Text };
                grainState.ETag = record.ETag;
                grainState.RecordExists = true;
            }
            else
            {
                grainState.State = GrainState<T>.CreateDefault();
                grainState.ETag = null;
                grainState.RecordExists = false;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var state = (ConformanceState)(object)grainState.State!;
            string etag = Guid.NewGuid().ToString("N");
            _records[(grainId, stateName)] = (new ConformanceState { Value = state.Value, Text = state.Text }, etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            _records.Remove((grainId, stateName));
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
