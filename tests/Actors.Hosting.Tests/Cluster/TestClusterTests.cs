using Actors.Client;
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
        // The client is remote, as in Orleans: with no silo left it finds no gateway.
        await Assert.ThrowsAsync<GatewayUnavailableException>(() => cluster.Client.GetGrain<INoteGrain>("n").Read());
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
    public async Task RestartSiloAsync_AfterKill_SameGatewayPortReservedBelowTheEphemeralRangeUntilDisposed()
    {
        TestCluster cluster = BuildCluster();
        await cluster.DeployAsync();
        int port = cluster.Primary.GatewayPort;
        await cluster.Client.GetGrain<INoteGrain>("n").Write("kept");

        await cluster.KillSiloAsync(cluster.Primary);
        // While the silo is down no other reservation (of this or any test process) may take its port.
        Assert.True(LoopbackPortReservationTests.IsLockedByAnother(port), $"port {port} is not reserved while its silo is down");
        await cluster.RestartSiloAsync(cluster.Primary);

        Assert.Equal(port, cluster.Primary.GatewayPort);
        Assert.True(port < LoopbackPortReservationTests.EphemeralRangeStart(), $"gateway port {port} lies in the ephemeral range, where outgoing connections may take it");
        // The cluster's client knows the gateway by that port alone: it reaches the restarted silo through it.
        Assert.Equal("kept", await cluster.Client.GetGrain<INoteGrain>("n").Read());
        await cluster.DisposeAsync();
        Assert.False(LoopbackPortReservationTests.IsLockedByAnother(port), $"port {port} is still reserved after the cluster was disposed");
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

    [Fact]
    public async Task Deploy_OrleansShape_GrainFactoryAndClientAreTheSameAndStopAllSilosStopsEverySilo()
    {
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = 1;
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        builder.ConfigureSilo(silo => silo.Services.AddSingleton(_log));
        await using TestCluster cluster = builder.Build();

        cluster.Deploy();
        await cluster.GrainFactory.GetGrain<INoteGrain>("n").Write("shape");

        Assert.Same(cluster.Client, cluster.GrainFactory);
        Assert.True(cluster.Client.IsConnected);
        Assert.Equal("shape", await cluster.Client.GetGrain<INoteGrain>("n").Read());
        Assert.Equal([cluster.Primary], cluster.GetActiveSilos());
        Assert.Empty(cluster.SecondarySilos);
        cluster.StopAllSilos();
        Assert.Empty(cluster.GetActiveSilos());
        await Gateway.Await.UntilAsync(() => !cluster.Client.IsConnected, () => "the gateway client notices that its silo stopped");
    }

    [Fact]
    public async Task DeployAsync_ClientBuilderConfigurator_ClientCallsThroughGatewayAndSurvivesRestart()
    {
        await using TestCluster cluster = new TestClusterBuilder()
            .AddSiloBuilderConfigurator<TestSiloConfigurator>()
            .AddClientBuilderConfigurator<ShortTimeoutClient>()
            .ConfigureSilo(silo => silo.Services.AddSingleton(_log))
            .Build();
        await cluster.DeployAsync();

        await cluster.Client.GetGrain<INoteGrain>("g").Write("over tcp");
        await cluster.RestartSiloAsync(cluster.Primary);

        Assert.True(cluster.Options.ConnectClientThroughGateway);
        Assert.Equal("over tcp", await cluster.Client.GetGrain<INoteGrain>("g").Read());
    }

    private sealed class ShortTimeoutClient : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, Actors.Client.ClusterClientBuilder clientBuilder)
            => clientBuilder.Configure(o => o.ResponseTimeout = TimeSpan.FromSeconds(20));
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
