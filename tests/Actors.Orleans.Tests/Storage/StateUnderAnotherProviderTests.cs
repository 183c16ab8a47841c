using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Storage;

/// <summary>
/// A grain class moved from one configured grain storage provider to another reads nothing under the new one; the read
/// refuses instead of serving the stored grain as never written.
/// </summary>
public sealed class StateUnderAnotherProviderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GrainId Grain(string key) => GrainId.Create("profile", key);

    /// <summary>Providers "test" and "moved-to" on one log; grain g's state "profile" written, then cleared, under "test".</summary>
    private async Task<ProviderHarness> OpenWithStateClearedUnderTestAsync()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, otherProviders: "moved-to");
        var state = new TestGrainState<ProfileState> { State = new ProfileState { Name = "stored" } };
        await harness.Storage.WriteStateAsync("profile", Grain("g"), state);
        await harness.Storage.ClearStateAsync("profile", Grain("g"), state);
        return harness;
    }

    [Fact]
    public async Task ReadStateAsync_StateStoredUnderAnotherConfiguredProvider_ThrowsNamingThatStream()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, otherProviders: "moved-to");
        await harness.Storage.WriteStateAsync("profile", Grain("g"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "stored" } });

        var read = new TestGrainState<ProfileState>();
        var error = await Assert.ThrowsAsync<GrainDataUnderAnotherProviderException>(() => harness.StorageNamed("moved-to").ReadStateAsync("profile", Grain("g"), read));

        Assert.Equal("s/moved-to/profile/profile/g", error.StreamId);
        Assert.Equal("s/test/profile/profile/g", error.StoredStreamId);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task ReadStateAsync_StateClearedUnderTheOtherProvider_ReadsAsNeverWritten()
    {
        await using ProviderHarness harness = await OpenWithStateClearedUnderTestAsync();

        var read = new TestGrainState<ProfileState>();
        await harness.StorageNamed("moved-to").ReadStateAsync("profile", Grain("g"), read);

        Assert.Equal((false, null, ""), (read.RecordExists, read.ETag, read.State.Name));
    }

    [Fact]
    public async Task ReadStateAsync_OwnStateClearedWhileTheOtherProviderStoredOneSince_Throws()
    {
        // Cleared under "test", moved to "moved-to" and written there, moved back: "test" reads cleared, the value is elsewhere.
        await using ProviderHarness harness = await OpenWithStateClearedUnderTestAsync();
        await harness.StorageNamed("moved-to").WriteStateAsync("profile", Grain("g"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "since" } });

        var error = await Assert.ThrowsAsync<GrainDataUnderAnotherProviderException>(() => harness.Storage.ReadStateAsync("profile", Grain("g"), new TestGrainState<ProfileState>()));

        Assert.Equal("s/moved-to/profile/profile/g", error.StoredStreamId);
    }

    [Fact]
    public async Task ReadStateAsync_OtherStateNameOrGrainStored_ReadsAsNeverWritten()
    {
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, otherProviders: "moved-to");
        await harness.Storage.WriteStateAsync("profile", Grain("g"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "stored" } });

        var otherName = new TestGrainState<ProfileState>();
        await harness.StorageNamed("moved-to").ReadStateAsync("settings", Grain("g"), otherName);
        var otherGrain = new TestGrainState<ProfileState>();
        await harness.StorageNamed("moved-to").ReadStateAsync("profile", Grain("h"), otherGrain);

        Assert.False(otherName.RecordExists);
        Assert.False(otherGrain.RecordExists);
    }
}
