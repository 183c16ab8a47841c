using Actors.Persistence.Wal.Tests.Grains;
using Actors.Storage;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Tests.Cluster;

[Trait("Category", "Integration")]
public sealed class PersistentStateClusterTests
{
    [Fact]
    public async Task WriteState_SiloKilledAndRestarted_StateETagAndExistenceIntact()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        IProfileGrain grain = cluster.Client.GetGrain<IProfileGrain>("ada");
        Assert.Equal((null, false), ((await grain.Get()).ProfileETag, (await grain.Get()).ProfileExists));
        await grain.Visit("Ada");
        ProfileSnapshot before = await grain.Visit("Ada L.");

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        ProfileSnapshot after = await cluster.Client.GetGrain<IProfileGrain>("ada").Get();

        Assert.Equal(("Ada L.", 2, "2", true), (before.Name, before.Visits, before.ProfileETag, before.ProfileExists));
        Assert.Equal((before.Name, before.Visits, before.ProfileETag, true), (after.Name, after.Visits, after.ProfileETag, after.ProfileExists));
    }

    [Fact]
    public async Task WriteAllAsync_TwoNamedStates_StoredInOneAtomicAppend()
    {
        var factory = new Support.FaultyFileLogFactory();
        await using TestCluster cluster = await WalCluster.StartAsync(logFactory: factory);
        IProfileGrain grain = cluster.Client.GetGrain<IProfileGrain>("bob");
        await grain.Get();
        int appendsBefore = factory.Current!.Appends;

        ProfileSnapshot written = await grain.VisitAndAudit("Bob", "signed up");

        Assert.Equal(1, factory.Current.Appends - appendsBefore);
        Assert.Equal(("1", "2"), (written.ProfileETag, written.AuditETag));
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        ProfileSnapshot after = await cluster.Client.GetGrain<IProfileGrain>("bob").Get();
        Assert.Equal(("Bob", 1, "1", 1, "2", true), (after.Name, after.Visits, after.ProfileETag, after.AuditEntries, after.AuditETag, after.AuditExists));
    }

    [Fact]
    public async Task GrainStorage_ETagRules_StaleTagsThrowAndStoreNothing()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        var storage = cluster.Primary.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        GrainId id = GrainId.Create("profile", "etag-rules");
        var first = new GrainState<Profile> { State = new Profile { Name = "v1" } };
        var stale = new GrainState<Profile> { State = new Profile { Name = "stale" } };

        await storage.ReadStateAsync("profile", id, first);
        Assert.Equal((null, false), (first.ETag, first.RecordExists));
        await storage.WriteStateAsync("profile", id, first);
        Assert.Equal(("1", true), (first.ETag, first.RecordExists));

        var noTag = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", id, stale));
        Assert.Equal(("1", null), (noTag.StoredEtag, noTag.CurrentEtag));
        stale.ETag = "7";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("profile", id, stale));

        first.State.Name = "v2";
        await storage.WriteStateAsync("profile", id, first);
        Assert.Equal("2", first.ETag);
        await storage.ClearStateAsync("profile", id, first);
        Assert.Equal((null, false), (first.ETag, first.RecordExists));

        var read = new GrainState<Profile>();
        await storage.ReadStateAsync("profile", id, read);
        Assert.Equal((null, false, ""), (read.ETag, read.RecordExists, read.State.Name));
        await storage.WriteStateAsync("profile", id, read);
        Assert.Equal("4", read.ETag);
    }

    [Fact]
    public async Task WriteState_OversizedState_RejectedAndGrainKeepsRunning()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.MaxEventSizeBytes = 1024);
        IProfileGrain grain = cluster.Client.GetGrain<IProfileGrain>("carl");
        ProfileSnapshot before = await grain.Visit("Carl");

        var ex = await Assert.ThrowsAsync<StateRejectedException>(() => grain.SetBio(new string('b', 4096)));
        ProfileSnapshot after = await grain.Visit("Carl");

        Assert.Contains("MaxEventSizeBytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal((before.ActivationId, 2, "2"), (after.ActivationId, after.Visits, after.ProfileETag));
    }

    [Fact]
    public async Task WriteState_LogFailsWithUnknownOutcome_GrainDeactivatesAndReloads()
    {
        var factory = new Support.FaultyFileLogFactory();
        await using TestCluster cluster = await WalCluster.StartAsync(logFactory: factory);
        IProfileGrain grain = cluster.Client.GetGrain<IProfileGrain>("dora");
        ProfileSnapshot before = await grain.Visit("Dora");

        factory.Current!.FailAppends = true;
        await Assert.ThrowsAsync<GrainStorageFailedException>(() => grain.Visit("Dora"));
        factory.Current.FailAppends = false;
        ProfileSnapshot after = await grain.Get();

        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.Equal((1, "1"), (after.Visits, after.ProfileETag));
    }

    [Fact]
    public async Task ClearState_ThenKillAndRestart_RecordStaysGone()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        IProfileGrain grain = cluster.Client.GetGrain<IProfileGrain>("eve");
        await grain.Visit("Eve");
        ProfileSnapshot cleared = await grain.Clear();

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        ProfileSnapshot after = await cluster.Client.GetGrain<IProfileGrain>("eve").Get();

        Assert.Equal((null, false), (cleared.ProfileETag, cleared.ProfileExists));
        Assert.Equal(("", 0, null, false), (after.Name, after.Visits, after.ProfileETag, after.ProfileExists));
    }
}
