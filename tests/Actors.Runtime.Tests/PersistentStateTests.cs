using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Actors.Serialization;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public sealed class PersistentStateTests
{
    private static readonly GrainId Id = new("profile", "p");
    private readonly Probe _probe = new();

    private TestSilo StartSilo(Action<IServiceCollection>? services = null) => TestSilo.Start(
        s => s.AddGrain<ProfileGrain>().AddMemoryGrainStorage(),
        services: collection =>
        {
            collection.AddSingleton(_probe);
            services?.Invoke(collection);
        });

    [Fact]
    public async Task WriteStateAsync_NewRecordWithNullEtag_StoresAndSetsEtag()
    {
        var storage = new MemoryGrainStorage(new JsonGrainSerializer());
        var state = new GrainState<Profile> { State = new Profile { Name = "ann" } };

        await storage.WriteStateAsync("profile", Id, state);

        Assert.NotNull(state.ETag);
        Assert.True(state.RecordExists);
        var read = new GrainState<Profile>();
        await storage.ReadStateAsync("profile", Id, read);
        Assert.Equal("ann", read.State.Name);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_StaleEtag_ThrowsInconsistentStateAndKeepsStoredValue()
    {
        var storage = new MemoryGrainStorage(new JsonGrainSerializer());
        var first = new GrainState<Profile> { State = new Profile { Name = "ann" } };
        await storage.WriteStateAsync("profile", Id, first);
        var stale = new GrainState<Profile> { State = new Profile { Name = "bob" } };

        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", Id, stale));

        Assert.Equal(first.ETag, error.StoredEtag);
        Assert.Null(error.CurrentEtag);
        var read = new GrainState<Profile>();
        await storage.ReadStateAsync("profile", Id, read);
        Assert.Equal("ann", read.State.Name);
    }

    [Fact]
    public async Task ClearStateAsync_CurrentEtag_RemovesRecordAndStaleClearFails()
    {
        var storage = new MemoryGrainStorage(new JsonGrainSerializer());
        var state = new GrainState<Profile> { State = new Profile { Name = "ann" } };
        await storage.WriteStateAsync("profile", Id, state);
        var stale = new GrainState<Profile> { ETag = "999" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("profile", Id, stale));
        await storage.ClearStateAsync("profile", Id, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var read = new GrainState<Profile>();
        await storage.ReadStateAsync("profile", Id, read);
        Assert.False(read.RecordExists);
        Assert.Equal("", read.State.Name);
    }

    [Fact]
    public async Task WriteStatesAsync_OneStaleEtag_WritesNothing()
    {
        var storage = new MemoryGrainStorage(new JsonGrainSerializer());
        var profile = new GrainState<Profile> { State = new Profile { Name = "ann" } };
        await storage.WriteStateAsync("profile", Id, profile);
        profile.State.Name = "changed";
        var stalePreferences = new GrainState<Preferences> { State = new Preferences { Theme = "dark" }, ETag = "999" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStatesAsync(Id,
            [new("profile", profile), new("preferences", stalePreferences)]));

        var read = new GrainState<Profile>();
        await storage.ReadStateAsync("profile", Id, read);
        Assert.Equal("ann", read.State.Name);
        var readPreferences = new GrainState<Preferences>();
        await storage.ReadStateAsync("preferences", Id, readPreferences);
        Assert.False(readPreferences.RecordExists);
    }

    [Fact]
    public async Task Activate_StoredState_LoadedBeforeOnActivateAsync()
    {
        await using TestSilo silo = StartSilo();
        IProfileGrain grain = silo.Factory.GetGrain<IProfileGrain>("p");
        await grain.SetName("ann");
        await grain.Deactivate();
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, "the profile grain to deactivate");

        Assert.Equal("ann", await grain.GetName());
        Assert.True(await grain.Exists());
        Assert.Equal(["activate:p:", "activate:p:ann"], _probe.Events);
    }

    [Fact]
    public async Task WriteStateAsync_RecordChangedBehindGrain_ThrowsInconsistentStateAndGrainStaysActive()
    {
        await using TestSilo silo = StartSilo();
        IProfileGrain grain = silo.Factory.GetGrain<IProfileGrain>("p");
        await grain.SetName("ann");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var other = new GrainState<Profile>();
        await storage.ReadStateAsync("profile", Id, other);
        other.State.Name = "someone else";
        await storage.WriteStateAsync("profile", Id, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetName("bob"));
        await grain.Reload();
        Assert.Equal("someone else", await grain.GetName());
        await grain.SetName("bob");

        Assert.Equal("bob", await grain.GetName());
        Assert.Single(_probe.Events, e => e.StartsWith("activate:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAllAsync_TwoStates_StoredTogether()
    {
        await using TestSilo silo = StartSilo();
        IProfileGrain grain = silo.Factory.GetGrain<IProfileGrain>("p");

        await grain.SetBoth("ann", "dark");
        await grain.Deactivate();
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, "the profile grain to deactivate");

        Assert.Equal("ann", await grain.GetName());
        Assert.Equal("dark", await grain.GetTheme());
    }

    [Fact]
    public async Task WriteAllAsync_OneStateChangedBehindGrain_WritesNeither()
    {
        await using TestSilo silo = StartSilo();
        IProfileGrain grain = silo.Factory.GetGrain<IProfileGrain>("p");
        await grain.SetBoth("ann", "dark");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var other = new GrainState<Preferences>();
        await storage.ReadStateAsync("preferences", Id, other);
        other.State.Theme = "sepia";
        await storage.WriteStateAsync("preferences", Id, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetBoth("bob", "blue"));

        var stored = new GrainState<Profile>();
        await storage.ReadStateAsync("profile", Id, stored);
        Assert.Equal("ann", stored.State.Name);
    }

    [Fact]
    public async Task ClearStateAsync_ExistingRecord_ResetsStateAndEtag()
    {
        await using TestSilo silo = StartSilo();
        IProfileGrain grain = silo.Factory.GetGrain<IProfileGrain>("p");
        await grain.SetName("ann");

        await grain.Clear();

        Assert.Equal("", await grain.GetName());
        Assert.Null(await grain.Etag());
        Assert.False(await grain.Exists());
    }

    [Fact]
    public async Task WriteStateAsync_StorageThrowsIoError_CallerGetsItAndActivationIsReplaced()
    {
        var failing = new FailingStorage();
        await using TestSilo silo = TestSilo.Start(
            s => s.AddGrain<ProfileGrain>(),
            services: collection => collection.AddSingleton(_probe).AddKeyedSingleton<IGrainStorage>(StorageNames.Default, failing));
        IProfileGrain grain = silo.Factory.GetGrain<IProfileGrain>("p");

        await Assert.ThrowsAsync<IOException>(() => grain.SetName("ann"));
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, "the activation to deactivate after the failed write");

        Assert.Equal("", await grain.GetName());
        Assert.Equal(2, _probe.Events.Count(e => e.StartsWith("activate:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WriteStateAsync_IoErrorWithRequestsQueued_QueuedRequestsServedByNextActivation()
    {
        var failing = new FailingStorage { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using TestSilo silo = TestSilo.Start(
            s => s.AddGrain<ProfileGrain>(),
            services: collection => collection.AddSingleton(_probe).AddKeyedSingleton<IGrainStorage>(StorageNames.Default, failing));
        IProfileGrain grain = silo.Factory.GetGrain<IProfileGrain>("p");
        Task write = grain.SetName("ann");
        await Probe.WaitUntilAsync(() => failing.WritesStarted == 1, "the write to reach storage");
        Assert.True(silo.Runtime.Catalog.TryGet(Id, out ActivationData first));
        Task<string> queued = grain.GetName();
        await Probe.WaitUntilAsync(() => first.QueueLength == 1, "the read to queue behind the write");

        failing.Gate.SetResult();

        await Assert.ThrowsAsync<IOException>(() => write);
        Assert.Equal("", await queued);
        Assert.True(silo.Runtime.Catalog.TryGet(Id, out ActivationData second));
        Assert.NotSame(first, second);
        Assert.Equal(2, _probe.Events.Count(e => e.StartsWith("activate:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WriteAllAsync_StoreWithoutAtomicWrites_ThrowsNotSupported()
    {
        await using TestSilo silo = TestSilo.Start(
            s => s.AddGrain<ProfileGrain>(),
            services: collection => collection.AddSingleton(_probe).AddKeyedSingleton<IGrainStorage>(StorageNames.Default, new FailingStorage()));

        await Assert.ThrowsAsync<NotSupportedException>(() => silo.Factory.GetGrain<IProfileGrain>("p").SetBoth("a", "b"));
    }

    [Fact]
    public void Start_GrainUsesUnconfiguredStore_FailsNamingGrainAndStore()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TestSilo.Start(s => s.AddGrain<MisconfiguredGrain>()));

        Assert.Contains(typeof(MisconfiguredGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }

    private sealed class FailingStorage : IGrainStorage
    {
        private int _writesStarted;

        public TaskCompletionSource? Gate { get; init; }

        public int WritesStarted => Volatile.Read(ref _writesStarted);

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Interlocked.Increment(ref _writesStarted);
            if (Gate is not null)
            {
                await Gate.Task;
            }

            throw new IOException("disk on fire");
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new IOException("disk on fire");
    }
}
