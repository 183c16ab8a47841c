using Actors.Journaling;
using Actors.Serialization;
using Actors.Storage;
using Actors.TestingHost.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Storage;

public sealed class ConformanceTests
{
    private static JournalAdaptorContext Context(GrainId id)
        => new(id, typeof(object), "journal", new ServiceCollection().BuildServiceProvider());

    [Fact]
    public Task RunAllAsync_MemoryGrainStorage_Conforms()
        => new GrainStorageConformance(new MemoryGrainStorage(new JsonGrainSerializer())).RunAllAsync();

    [Fact]
    public Task RunAllAsync_MemoryJournalStore_Conforms()
        => new JournalAdaptorConformance<ConformanceJournalState, ConformanceEvent>(new MemoryJournalAdaptorFactory(), Context, JournalConformanceModels.Default).RunAllAsync();

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
