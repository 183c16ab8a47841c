using Actors.Orleans.Storage;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.Runtime;
using Orleans.Storage;

namespace Actors.Orleans.Tests.Storage;

/// <summary>
/// The grain storage contract, as Orleans's provider test kit checks it (read of nothing, write/read, ETags, clear,
/// many grains, large states, concurrent grains), plus what survives a reopen of the silo's log.
/// </summary>
public sealed class WriteAheadLogGrainStorageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GrainId Grain(string key) => GrainId.Create("profile", key);

    [Fact]
    public async Task ReadStateAsync_LogReportsDamage_TypedErrorThatSpeaksOfNoWrite()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        await harness.Storage.WriteStateAsync("profile", Grain("damaged"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "x" } });
        harness.Log.DecorateForTests = log => FaultyEventLog.Wrap(log, nameof(IEventLog.ReadEventsAsync), "s/", failCallNumber: 1, failure: _ => new LogCorruptedException("0000000001.wal", 64, "the CRC does not match")).AsLog;

        var error = await Assert.ThrowsAsync<WriteAheadLogOperationException>(() => harness.Storage.ReadStateAsync("profile", Grain("damaged"), new TestGrainState<ProfileState>()));
        Assert.False(error.OutcomeUnknown);
        Assert.Contains("Reading", error.Message, StringComparison.Ordinal);
        Assert.Contains("the CRC does not match", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("stored", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteStateAsync_CheckpointDecisionFailsAfterTheWriteWasStored_WriteSucceeds()
    {
        // A checkpoint after every write: the decision (the stream's look-up) runs at version 1.
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, new WriteAheadLogGrainStorageOptions { CheckpointEveryWrites = 1 });
        harness.Log.DecorateForTests = log => FaultyEventLog.Wrap(log, nameof(IEventLog.GetStreamInfo), "s/", failCallNumber: 1, failure: _ => new ObjectDisposedException("WriteAheadLog")).AsLog;
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "kept" } };

        await harness.Storage.WriteStateAsync("profile", Grain("after-write"), state);
        harness.Log.DecorateForTests = null;

        Assert.Equal(("1", true), (state.ETag, state.RecordExists));
        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("profile", Grain("after-write"), read);
        Assert.Equal(("kept", "1"), (read.State.Name, read.ETag));
    }

    [Fact]
    public async Task ReadStateAsync_NeverWritten_DefaultStateNoETagNotExists()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var state = new TestGrainState<ProfileState> { ETag = "stale" };
        await harness.Storage.ReadStateAsync("profile", Grain("a"), state);
        Assert.NotNull(state.State);
        Assert.Equal("", state.State.Name);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_ThenReadAfterReopen_ReturnsValueAndETag()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var written = new TestGrainState<ProfileState> { State = new ProfileState { Name = "ada", Visits = 3 } };
        await harness.Storage.WriteStateAsync("profile", Grain("a"), written);
        Assert.Equal("1", written.ETag);
        Assert.True(written.RecordExists);
        written.State.Visits = 4;
        await harness.Storage.WriteStateAsync("profile", Grain("a"), written);
        Assert.Equal("2", written.ETag);

        await using ProviderHarness reopened = await harness.ReopenAsync();
        var read = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("a"), read);
        Assert.Equal("ada", read.State.Name);
        Assert.Equal(4, read.State.Visits);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsInconsistentStateAndStoresNothing()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var first = new TestGrainState<ProfileState> { State = new ProfileState { Name = "first" } };
        await harness.Storage.WriteStateAsync("profile", Grain("a"), first);
        var stale = new TestGrainState<ProfileState> { State = new ProfileState { Name = "stale" }, ETag = null };

        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(() => harness.Storage.WriteStateAsync("profile", Grain("a"), stale));
        Assert.Equal("1", error.StoredEtag);
        Assert.Null(error.CurrentEtag);
        Assert.Contains("profile/a", error.Message, StringComparison.Ordinal);

        stale.ETag = "7";
        error = await Assert.ThrowsAsync<InconsistentStateException>(() => harness.Storage.WriteStateAsync("profile", Grain("a"), stale));
        Assert.Equal("1", error.StoredEtag);
        Assert.Equal("7", error.CurrentEtag);

        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("profile", Grain("a"), read);
        Assert.Equal("first", read.State.Name);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_MalformedETag_ThrowsInconsistentState()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var state = new TestGrainState<ProfileState> { State = new ProfileState(), ETag = "W/\"abc\"" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => harness.Storage.WriteStateAsync("profile", Grain("a"), state));
        Assert.Equal(0, harness.EventLog.GetStreamInfo(GrainStreamNames.State("test", "profile", Grain("a"))).Version);
    }

    [Fact]
    public async Task ClearStateAsync_ThenReadAfterReopen_NotExistsAndOldValueErased()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "secret" } };
        await harness.Storage.WriteStateAsync("profile", Grain("a"), state);
        await harness.Storage.WriteStateAsync("profile", Grain("a"), state);
        await harness.Storage.ClearStateAsync("profile", Grain("a"), state);
        Assert.Equal("3", state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State.Name);

        await using ProviderHarness reopened = await harness.ReopenAsync();
        var read = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("a"), read);
        Assert.False(read.RecordExists);
        Assert.Equal("", read.State.Name);
        Assert.Equal("3", read.ETag);

        string stream = GrainStreamNames.State("test", "profile", Grain("a"));
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await reopened.EventLog.ReadEventsAsync(stream, 1, 2));
        StreamReadResult stored = await reopened.EventLog.ReadStreamAsync(stream);
        Assert.Equal(3, stored.Checkpoint!.Version);
        Assert.Empty(stored.Events);

        // The old value can be written over with the ETag the clear returned, not with the one before it.
        read.State.Name = "again";
        await reopened.Storage.WriteStateAsync("profile", Grain("a"), read);
        Assert.Equal("4", read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => reopened.Storage.WriteStateAsync("profile", Grain("a"), new TestGrainState<ProfileState> { State = new(), ETag = "2" }));
    }

    [Fact]
    public async Task WriteStateAsync_ManyGrainsConcurrently_EachReadsItsOwnValue()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = $"grain-{i}" } };
            for (int write = 1; write <= 5; write++)
            {
                state.State.Visits = write;
                await harness.Storage.WriteStateAsync("profile", Grain($"g{i}"), state);
            }
        }));

        await using ProviderHarness reopened = await harness.ReopenAsync();
        for (int i = 0; i < 200; i++)
        {
            var read = new TestGrainState<ProfileState>();
            await reopened.Storage.ReadStateAsync("profile", Grain($"g{i}"), read);
            Assert.Equal($"grain-{i}", read.State.Name);
            Assert.Equal(5, read.State.Visits);
            Assert.Equal("5", read.ETag);
        }
    }

    [Fact]
    public async Task WriteStateAsync_LargeState_RoundTrips()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        byte[] blob = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(blob);
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Blob = blob } };
        await harness.Storage.WriteStateAsync("profile", Grain("big"), state);

        await using ProviderHarness reopened = await harness.ReopenAsync();
        var read = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("big"), read);
        Assert.Equal(blob, read.State.Blob);
    }

    [Fact]
    public async Task WriteStateAsync_StateNamesAndProvidersApart_DoNotShareStreams()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        await harness.Storage.WriteStateAsync("a/b", Grain("x"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "slash" } });
        await harness.Storage.WriteStateAsync("a", Grain("x"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "plain" } });
        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("a/b", Grain("x"), read);
        Assert.Equal("slash", read.State.Name);
        await harness.Storage.ReadStateAsync("a", Grain("x"), read);
        Assert.Equal("plain", read.State.Name);
        Assert.NotEqual(GrainStreamNames.State("p", "a/b", Grain("x")), GrainStreamNames.State("p/a", "b", Grain("x")));
    }

    [Fact]
    public async Task WriteStateAsync_EveryNWrites_CheckpointsSoOlderVersionsAreReclaimable()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, new WriteAheadLogGrainStorageOptions { CheckpointEveryWrites = 4 });
        var state = new TestGrainState<ProfileState> { State = new ProfileState() };
        for (int i = 0; i < 9; i++)
        {
            state.State.Visits = i;
            await harness.Storage.WriteStateAsync("profile", Grain("a"), state);
        }

        StreamInfo info = harness.EventLog.GetStreamInfo(GrainStreamNames.State("test", "profile", Grain("a")));
        Assert.Equal(9, info.Version);
        Assert.Equal(8, info.CheckpointVersion);
        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("profile", Grain("a"), read);
        Assert.Equal(8, read.State.Visits);
        Assert.Equal("9", read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_CheckpointFailedAtItsVersion_NextWriteCheckpoints()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, new WriteAheadLogGrainStorageOptions { CheckpointEveryWrites = 4 });
        FaultyEventLog? faulty = null;
        harness.Log.DecorateForTests = log => (faulty ??= FaultyEventLog.Wrap(log, nameof(IEventLog.WriteCheckpointAsync), "s/", failCallNumber: 1)).AsLog;
        var state = new TestGrainState<ProfileState> { State = new ProfileState() };
        string stream = GrainStreamNames.State("test", "profile", Grain("missed"));
        for (int i = 1; i <= 4; i++)
        {
            await harness.Storage.WriteStateAsync("profile", Grain("missed"), state);
        }

        Assert.Equal((4, 0), (harness.EventLog.GetStreamInfo(stream).Version, harness.EventLog.GetStreamInfo(stream).CheckpointVersion));
        Assert.Equal(1, faulty!.Calls);

        // Version 5 is not a multiple of 4, but the checkpoint missed at 4 is written now, not at 8.
        await harness.Storage.WriteStateAsync("profile", Grain("missed"), state);
        Assert.Equal((5, 5), (harness.EventLog.GetStreamInfo(stream).Version, harness.EventLog.GetStreamInfo(stream).CheckpointVersion));
    }

    [Fact]
    public async Task WriteStateAsync_ValueTheCodecCannotSerialize_ThrowsTypedErrorAndStoresNothing()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var state = new TestGrainState<Unserializable> { State = new Unserializable() };
        ValueSerializationException error = await Assert.ThrowsAsync<ValueSerializationException>(() => harness.Storage.WriteStateAsync("odd", Grain("a"), state));
        Assert.Contains("state 'odd' of grain profile/a", error.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(Unserializable), error.ValueType);
        Assert.Equal(WalCodec.Orleans, error.Codec);
        Assert.Null(state.ETag);
        Assert.Equal(0, harness.EventLog.GetStreamInfo(GrainStreamNames.State("test", "odd", Grain("a"))).Version);
    }

    [Fact]
    public async Task ReadStateAsync_StoredBytesOfAnotherType_ThrowsTypedErrorNamingStreamVersionAndType()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, new WriteAheadLogGrainStorageOptions { Codec = WalCodec.SystemTextJson });
        await harness.Storage.WriteStateAsync("profile", Grain("a"), new TestGrainState<string> { State = "not a profile" });
        var read = new TestGrainState<ProfileState>();
        ValueDeserializationException error = await Assert.ThrowsAsync<ValueDeserializationException>(() => harness.Storage.ReadStateAsync("profile", Grain("a"), read));
        Assert.Equal(1, error.Version);
        Assert.Equal(WalCodec.SystemTextJson, error.Codec);
        Assert.Equal(GrainStreamNames.State("test", "profile", Grain("a")), error.StreamId);
        Assert.Equal("string", error.TypeName); // Orleans's TypeConverter name of System.String
        Assert.Null(read.State);
    }

    [Theory]
    [InlineData(WalCodec.Orleans, WalCodec.SystemTextJson)]
    [InlineData(WalCodec.SystemTextJson, WalCodec.MessagePack)]
    [InlineData(WalCodec.MessagePack, WalCodec.Orleans)]
    public async Task ReadStateAsync_AfterTheProviderSwitchedCodecs_ReadsEachRecordWithItsOwnCodec(WalCodec first, WalCodec second)
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, new WriteAheadLogGrainStorageOptions { Codec = first });
        await harness.Storage.WriteStateAsync("profile", Grain("old"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "old", Visits = 1 } });

        await using ProviderHarness reopened = await harness.ReopenAsync(new WriteAheadLogGrainStorageOptions { Codec = second });
        await reopened.Storage.WriteStateAsync("profile", Grain("new"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "new", Visits = 2 } });
        var read = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("old"), read);
        Assert.Equal(("old", 1), (read.State.Name, read.State.Visits));
        await reopened.Storage.ReadStateAsync("profile", Grain("new"), read);
        Assert.Equal(("new", 2), (read.State.Name, read.State.Visits));
    }

    [Fact]
    public async Task WriteStateAsync_WithBrotli_CompressesAndReadsBack()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, configure: o => o.Compression = RecordCompression.Brotli);
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = new string('z', 10_000) } };
        await harness.Storage.WriteStateAsync("profile", Grain("a"), state);
        IReadOnlyList<StoredEvent> stored = await harness.EventLog.ReadEventsAsync(GrainStreamNames.State("test", "profile", Grain("a")), 1, 1);
        Assert.True(stored[0].Payload.Length < 1_000, $"the record takes {stored[0].Payload.Length} bytes");
        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("profile", Grain("a"), read);
        Assert.Equal(state.State.Name, read.State.Name);
    }

    [Fact]
    public async Task ReadStateAsync_LogClosed_ThrowsUnavailableNamingTheDirectory()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        await harness.DisposeAsync();
        WriteAheadLogUnavailableException error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => harness.Storage.ReadStateAsync("profile", Grain("a"), new TestGrainState<ProfileState>()));
        Assert.Contains(_directory.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("closed", error.Message, StringComparison.Ordinal);
    }
}
