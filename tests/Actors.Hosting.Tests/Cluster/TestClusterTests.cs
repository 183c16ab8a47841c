using Actors.Hosting.Tests.Infrastructure;
using Actors.Storage;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Cluster;

public sealed class TestClusterTests
{
    private readonly LifecycleLog _log = new();
    private readonly AbandonRecorder _abandon = new();

    private TestCluster BuildCluster() => new TestClusterBuilder()
        .AddSiloBuilderConfigurator<TestSiloConfigurator>()
        .ConfigureSilo(silo => silo.Services
            .AddSingleton(_log)
            .AddSingleton<ISiloAbruptStopParticipant>(_abandon))
        .Build();

    [Fact]
    public async Task DeployAsync_Client_CallsGrainOnSilo()
    {
        await using TestCluster cluster = BuildCluster();
        await cluster.DeployAsync();

        await cluster.Client.GetGrain<INoteGrain>("n").Write("hello");

        Assert.Equal("hello", await cluster.Client.GetGrain<INoteGrain>("n").Read());
        Assert.True(Directory.Exists(cluster.Primary.Context.DataDirectory));
    }

    [Fact]
    public async Task StopSiloAsync_ActiveGrain_DeactivatesGracefully()
    {
        await using TestCluster cluster = BuildCluster();
        await cluster.DeployAsync();
        await cluster.Client.GetGrain<INoteGrain>("n").Read();

        await cluster.StopSiloAsync(cluster.Primary);

        Assert.Contains("deactivate:n:ShuttingDown", _log.Events);
        Assert.False(cluster.Primary.IsRunning);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => cluster.Client.GetGrain<INoteGrain>("n").Read());
    }

    [Fact]
    public async Task KillSiloAsync_ActiveGrain_NoDeactivationAndParticipantsAbandon()
    {
        await using TestCluster cluster = BuildCluster();
        await cluster.DeployAsync();
        await cluster.Client.GetGrain<INoteGrain>("n").Write("durable");

        await cluster.KillSiloAsync(cluster.Primary);

        Assert.DoesNotContain(_log.Events, e => e.StartsWith("deactivate:", StringComparison.Ordinal));
        Assert.Equal(1, _abandon.Count);
        Assert.False(cluster.Primary.IsRunning);
    }

    [Fact]
    public async Task RestartSiloAsync_AfterKill_SameDataDirectoryAndStoredStateSurvives()
    {
        await using TestCluster cluster = BuildCluster();
        await cluster.DeployAsync();
        string directory = cluster.Primary.Context.DataDirectory;
        await cluster.Client.GetGrain<INoteGrain>("n").Write("before kill");

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);

        Assert.Equal(directory, cluster.Primary.Context.DataDirectory);
        Assert.Equal(2, cluster.Primary.StartCount);
        Assert.Equal("before kill", await cluster.Client.GetGrain<INoteGrain>("n").Read());
    }

    [Fact]
    public async Task RestartSiloAsync_RunningSilo_StopsGracefullyThenStartsAgain()
    {
        await using TestCluster cluster = BuildCluster();
        await cluster.DeployAsync();
        await cluster.Client.GetGrain<INoteGrain>("n").Write("v1");

        await cluster.RestartSiloAsync(cluster.Primary);

        Assert.Contains("deactivate:n:ShuttingDown", _log.Events);
        Assert.Equal("v1", await cluster.Client.GetGrain<INoteGrain>("n").Read());
        Assert.Equal(2, _log.Events.Count(e => e == "activate:n"));
    }

    [Fact]
    public async Task DisposeAsync_OwnedBaseDirectory_IsDeleted()
    {
        TestCluster cluster = BuildCluster();
        await cluster.DeployAsync();
        string directory = cluster.Primary.Context.DataDirectory;

        await cluster.DisposeAsync();

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Activation_GrainUsesDefaultStoreThatIsNotConfigured_FailsNamingGrainAndStore()
    {
        // As in Orleans: a store used by default is looked up when the grain activates (a store named explicitly
        // fails silo start instead); nothing falls back to volatile state.
        await using TestCluster cluster = new TestClusterBuilder()
            .ConfigureSilo(silo => silo.AddGrain<NoteGrain>().Services.AddSingleton(_log))
            .Build();
        await cluster.DeployAsync();

        GrainStoreNotConfiguredException error = await Assert.ThrowsAsync<GrainStoreNotConfiguredException>(() => cluster.Client.GetGrain<INoteGrain>("n").Read());

        Assert.Contains(typeof(NoteGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("'Default'", error.Message, StringComparison.Ordinal);
    }

    private sealed class AbandonRecorder : ISiloAbruptStopParticipant
    {
        public int Count { get; private set; }

        public ValueTask AbandonAsync()
        {
            Count++;
            return ValueTask.CompletedTask;
        }
    }
}
