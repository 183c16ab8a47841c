using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Storage;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.Runtime;
using Orleans.Storage;

namespace Actors.Orleans.Tests.Storage;

/// <summary>The clear and key checks of Orleans's provider test kit (GrainStorageTestRunner), written for this provider.</summary>
public sealed class GrainStorageClearContractTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ClearStateAsync_BeforeAnyWrite_NotExistsWithFreshState()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "stale" }, RecordExists = true };
        await harness.Storage.ClearStateAsync("profile", GrainId.Create("t", "never"), state);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State.Name);
    }

    [Fact]
    public async Task ClearStateAsync_Twice_EachMovesTheETagAndTheStateStaysFresh()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        GrainId grain = GrainId.Create("t", "twice");
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "x" } };
        await harness.Storage.WriteStateAsync("profile", grain, state);
        string? written = state.ETag;
        await harness.Storage.ClearStateAsync("profile", grain, state);
        string? firstClear = state.ETag;
        await harness.Storage.ClearStateAsync("profile", grain, state);
        Assert.NotEqual(written, firstClear);
        Assert.NotEqual(firstClear, state.ETag);
        Assert.NotNull(state.State);

        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("profile", grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Theory]
    [InlineData(nameof(IEventLog.WriteCheckpointAsync))]
    [InlineData(nameof(IEventLog.DeleteEventsToAsync))]
    public async Task ClearStateAsync_ErasingTheOlderRecordsFails_StateClearedAndTheErrorSaysSo(string failing)
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        GrainId grain = GrainId.Create("t", "half-clear");
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "secret" } };
        await harness.Storage.WriteStateAsync("profile", grain, state);
        FaultyEventLog? faulty = null;
        harness.Log.DecorateForTests = log => (faulty ??= FaultyEventLog.Wrap(log, failing, "s/", failCallNumber: 1)).AsLog;

        var error = await Assert.ThrowsAsync<ClearedStateNotErasedException>(() => harness.Storage.ClearStateAsync("profile", grain, state));
        harness.Log.DecorateForTests = null;
        Assert.Equal(1, faulty!.Calls);
        Assert.Equal(2, error.ClearedVersion);
        Assert.Contains("Injected failure", error.Message, StringComparison.Ordinal);
        Assert.Equal(("2", false, ""), (state.ETag, state.RecordExists, state.State.Name));

        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("profile", grain, read);
        Assert.Equal(("2", false, ""), (read.ETag, read.RecordExists, read.State.Name));

        // Clearing again erases what the first clear left.
        await harness.Storage.ClearStateAsync("profile", grain, state);
        string stream = GrainStreamNames.State("test", "profile", grain);
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await harness.Log.Log.ReadEventsAsync(stream, 1, 1));
    }

    /// <remarks>Orleans's test kit: ClearStateDoesNotNullifyState (Orleans's providers create the state with its activator).</remarks>
    [Fact]
    public async Task ReadAndClear_StateTypeWithoutParameterlessConstructor_StateIsNeverNull()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        GrainId grain = GrainId.Create("t", "positional");
        var never = new TestGrainState<PositionalState>();
        await harness.Storage.ReadStateAsync("positional", grain, never);
        Assert.NotNull(never.State);
        Assert.False(never.RecordExists);

        var state = new TestGrainState<PositionalState> { State = new PositionalState("ada", 3) };
        await harness.Storage.WriteStateAsync("positional", grain, state);
        await harness.Storage.ClearStateAsync("positional", grain, state);
        Assert.NotNull(state.State);
        Assert.Equal(0, state.State.Visits);

        var read = new TestGrainState<PositionalState>();
        await harness.Storage.ReadStateAsync("positional", grain, read);
        Assert.NotNull(read.State);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsInconsistentStateAndKeepsTheValue()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        GrainId grain = GrainId.Create("t", "stale-clear");
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "kept" } };
        await harness.Storage.WriteStateAsync("profile", grain, state);
        await harness.Storage.WriteStateAsync("profile", grain, state);
        await Assert.ThrowsAsync<InconsistentStateException>(() => harness.Storage.ClearStateAsync("profile", grain, new TestGrainState<ProfileState> { State = new(), ETag = "1" }));

        var read = new TestGrainState<ProfileState>();
        await harness.Storage.ReadStateAsync("profile", grain, read);
        Assert.Equal("kept", read.State.Name);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_SameValueTwice_MovesTheETag()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "same" } };
        await harness.Storage.WriteStateAsync("profile", GrainId.Create("t", "same"), state);
        string? first = state.ETag;
        await harness.Storage.WriteStateAsync("profile", GrainId.Create("t", "same"), state);
        Assert.NotEqual(first, state.ETag);
    }

    [Theory]
    [InlineData("Привет-мир")]
    [InlineData("42")]
    [InlineData("a/b/c%2F")]
    public async Task WriteStateAsync_KeysOfEveryShape_ReadBackUnderTheirOwnKey(string key)
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        await harness.Storage.WriteStateAsync("profile", GrainId.Create("t", key), new TestGrainState<ProfileState> { State = new ProfileState { Name = key } });
        await harness.Storage.WriteStateAsync("profile", GrainId.Create("t", key + "x"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "other" } });

        await using ProviderHarness reopened = await harness.ReopenAsync();
        var read = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", GrainId.Create("t", key), read);
        Assert.Equal(key, read.State.Name);
    }

    [Fact]
    public async Task WriteStateAsync_KeyTooLongForAStreamId_ThrowsTypedErrorNamingTheGrain()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        string key = new('k', 2000);
        WriteAheadLogOperationException error = await Assert.ThrowsAsync<WriteAheadLogOperationException>(() =>
            harness.Storage.WriteStateAsync("profile", GrainId.Create("t", key), new TestGrainState<ProfileState> { State = new() }));
        Assert.False(error.OutcomeUnknown);
        Assert.Contains("state 'profile' of grain t/kkkk", error.Message, StringComparison.Ordinal);
    }
}
