using Actors.Client;
using Actors.Hosting;
using Actors.Hosting.Gateway;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.TestingHost;

/// <summary>
/// An in-process cluster of silos for tests (Orleans' <c>TestCluster</c> shape): deploy, call grains through
/// <see cref="Client"/>/<see cref="GrainFactory"/>, stop silos gracefully, kill them abruptly, restart them on the same data
/// directory, add silos, dispose.
/// </summary>
/// <remarks>
/// By default <see cref="Client"/> is a real gateway client connected to every silo's gateway, so calls take the wire
/// path a remote client takes (binary serializer, frames, typed exceptions); with
/// <see cref="TestClusterOptions.ConnectClientThroughGateway"/> off it calls a running silo's invoker in-process
/// (arguments follow the in-silo copy rule). Each silo keeps its name, data directory and gateway port across restarts
/// (the port is reserved below the system's ephemeral range for the cluster's lifetime: <see cref="LoopbackPortReservation"/>).
/// Not thread-safe: drive one cluster from one test.
/// </remarks>
public sealed partial class TestCluster : IAsyncDisposable, IDisposable
{
    private readonly bool _ownsDirectory;
    private readonly Action<ISiloBuilder>[] _siloConfigurators;
    private readonly Action<IHostBuilder>[] _hostConfigurators;
    private readonly Action<IConfiguration, ClusterClientBuilder>[] _clientConfigurators;
    private readonly List<SiloHandle> _silos = [];
    private readonly IClusterClient _inProcessClient;
    private IClusterClient? _gatewayClient;

    internal TestCluster(
        TestClusterOptions options,
        bool ownsDirectory,
        Action<ISiloBuilder>[] siloConfigurators,
        Action<IHostBuilder>[] hostConfigurators,
        Action<IConfiguration, ClusterClientBuilder>[] clientConfigurators)
    {
        Options = options;
        _ownsDirectory = ownsDirectory;
        _siloConfigurators = siloConfigurators;
        _hostConfigurators = hostConfigurators;
        _clientConfigurators = clientConfigurators;
        _inProcessClient = new InProcessClusterClient(this);
    }

    /// <summary>The cluster's options (after <see cref="TestClusterBuilder.Build"/> filled the defaults).</summary>
    public TestClusterOptions Options { get; }

    /// <summary>
    /// The cluster's client: a gateway client by default, in-process when <see cref="TestClusterOptions.ConnectClientThroughGateway"/> is off.
    /// </summary>
    /// <exception cref="InvalidOperationException">A gateway client is requested before <see cref="DeployAsync"/>.</exception>
    public IClusterClient Client => Options.ConnectClientThroughGateway
        ? _gatewayClient ?? throw new InvalidOperationException("The cluster is not deployed: its gateway client does not exist yet.")
        : _inProcessClient;

    /// <summary>The client's grain factory (the same object as <see cref="Client"/>).</summary>
    public IGrainFactory GrainFactory => Client;

    /// <summary>The cluster's silos (running or not), in start order.</summary>
    public IReadOnlyList<SiloHandle> Silos => _silos;

    /// <summary>The first silo.</summary>
    public SiloHandle Primary => _silos.Count > 0 ? _silos[0] : throw new InvalidOperationException("The cluster is not deployed.");

    /// <summary>Every silo but the first.</summary>
    public IReadOnlyList<SiloHandle> SecondarySilos => _silos.Skip(1).ToArray();

    /// <summary>The silos that are running now.</summary>
    public IEnumerable<SiloHandle> GetActiveSilos() => _silos.Where(s => s.IsRunning).ToArray();

    /// <summary>Starts <see cref="TestClusterOptions.InitialSilosCount"/> silos and, for a gateway client, connects it. Blocks until done.</summary>
    public void Deploy() => DeployAsync().GetAwaiter().GetResult();

    /// <summary>Starts <see cref="TestClusterOptions.InitialSilosCount"/> silos and, for a gateway client, connects it.</summary>
    /// <exception cref="InvalidOperationException">Already deployed.</exception>
    public async Task DeployAsync(CancellationToken cancellationToken = default)
    {
        if (_silos.Count > 0)
        {
            throw new InvalidOperationException("The cluster is already deployed.");
        }

        for (int i = 0; i < Options.InitialSilosCount; i++)
        {
            await StartAdditionalSiloAsync(cancellationToken);
        }

        if (Options.ConnectClientThroughGateway)
        {
            _gatewayClient = BuildGatewayClient();
            await _gatewayClient.ConnectAsync(cancellationToken);
        }
    }

    /// <summary>Starts one more silo (a new name and data directory) and returns it. Blocks until it runs.</summary>
    public SiloHandle StartAdditionalSilo() => StartAdditionalSiloAsync().GetAwaiter().GetResult();

    /// <summary>Starts one more silo (a new name and data directory) and returns it.</summary>
    public async Task<SiloHandle> StartAdditionalSiloAsync(CancellationToken cancellationToken = default)
    {
        string name = $"silo{_silos.Count}";
        var silo = new SiloHandle(new TestSiloContext(name, Path.Combine(Options.BaseDirectory!, name)), _silos.Count);
        EnsureClusteringAvailable(_silos.Count + 1);
        _silos.Add(silo);
        await StartSiloAsync(silo, cancellationToken);
        return silo;
    }

    /// <summary>Starts <paramref name="count"/> more silos.</summary>
    public async Task<IReadOnlyList<SiloHandle>> StartAdditionalSilosAsync(int count, CancellationToken cancellationToken = default)
    {
        var started = new List<SiloHandle>();
        for (int i = 0; i < count; i++)
        {
            started.Add(await StartAdditionalSiloAsync(cancellationToken));
        }

        return started;
    }

    /// <summary>Stops a silo gracefully: every activation is deactivated (OnDeactivateAsync runs) within the grace period.</summary>
    public async Task StopSiloAsync(SiloHandle silo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        IHost host = silo.Host;
        silo.CurrentHost = null;
        try
        {
            await host.StopAsync(cancellationToken);
        }
        finally
        {
            await DisposeHostAsync(host);
        }
    }

    /// <summary>Stops the first silo gracefully.</summary>
    public Task StopPrimarySiloAsync(CancellationToken cancellationToken = default) => StopSiloAsync(Primary, cancellationToken);

    /// <summary>Stops every running silo gracefully, the last started first. Blocks until done.</summary>
    public void StopAllSilos() => StopAllSilosAsync().GetAwaiter().GetResult();

    /// <summary>Stops every running silo gracefully, the last started first.</summary>
    public async Task StopAllSilosAsync(CancellationToken cancellationToken = default)
    {
        foreach (SiloHandle silo in _silos.Where(s => s.IsRunning).Reverse().ToArray())
        {
            await StopSiloAsync(silo, cancellationToken);
        }
    }

    /// <summary>
    /// Kills a silo: no grain is deactivated, every <see cref="ISiloAbruptStopParticipant"/> abandons its unflushed
    /// work, and the host is disposed without a graceful stop, so only what storage already made durable survives.
    /// </summary>
    public async Task KillSiloAsync(SiloHandle silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        IHost host = silo.Host;
        silo.CurrentHost = null;
        await host.Services.GetRequiredService<ISiloControl>().KillAsync();
        await DisposeHostAsync(host);
    }

    /// <summary>Stops the silo gracefully if it runs, then starts it again with the same name, configuration, data directory and gateway port.</summary>
    public async Task<SiloHandle> RestartSiloAsync(SiloHandle silo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.IsRunning)
        {
            await StopSiloAsync(silo, cancellationToken);
        }

        await StartSiloAsync(silo, cancellationToken);
        return silo;
    }

    /// <summary>Stops every running silo gracefully and deletes the data directories the cluster created. Blocks until done.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Disposes the client, stops every running silo gracefully and deletes the data directories the cluster created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_gatewayClient is not null)
        {
            await _gatewayClient.DisposeAsync();
        }

        await StopAllSilosAsync();
        foreach (SiloHandle silo in _silos)
        {
            silo.GatewayPortReservation?.Dispose();
        }

        if (_ownsDirectory && Directory.Exists(Options.BaseDirectory))
        {
            Directory.Delete(Options.BaseDirectory, recursive: true);
        }
    }

    private async Task StartSiloAsync(SiloHandle silo, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(silo.Context.DataDirectory);
        if (Options.ConnectClientThroughGateway && silo.GatewayPort == 0 && LoopbackPortReservation.Reserve() is { } reservation)
        {
            silo.GatewayPortReservation = reservation;
            silo.GatewayPort = reservation.Port;
        }

        var builder = new HostBuilder();
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TestSiloContext.SiloNameKey] = silo.Context.SiloName,
            [TestSiloContext.DataDirectoryKey] = silo.Context.DataDirectory,
            [$"{SiloOptions.SectionName}:{nameof(SiloOptions.SiloName)}"] = silo.Context.SiloName,
        }));
        foreach (Action<IHostBuilder> configure in _hostConfigurators)
        {
            configure(builder);
        }

        builder.UseActors(siloBuilder =>
        {
            siloBuilder.Services.AddSingleton(silo.Context);
            if (Options.ConnectClientThroughGateway)
            {
                siloBuilder.AddGateway(o =>
                {
                    o.BindAddress = "127.0.0.1";
                    o.Port = silo.GatewayPort;
                });
            }

            foreach (Action<ISiloBuilder> configure in _siloConfigurators)
            {
                configure(siloBuilder);
            }

            ConfigureClustering(siloBuilder, silo);
        });
        IHost host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            await DisposeHostAsync(host);
            throw;
        }

        silo.CurrentHost = host;
        silo.StartCount++;
        if (Options.ConnectClientThroughGateway)
        {
            silo.GatewayPort = host.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint!.Port;
        }

        CaptureSiloPort(silo);
    }

    private IClusterClient BuildGatewayClient()
    {
        var client = new ClusterClientBuilder();
        foreach (SiloHandle silo in _silos)
        {
            client.UseGateway($"127.0.0.1:{silo.GatewayPort}");
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TestCluster:ClusterId"] = Options.ClusterId,
        }).Build();
        foreach (Action<IConfiguration, ClusterClientBuilder> configure in _clientConfigurators)
        {
            configure(configuration, client);
        }

        return client.Build();
    }

    /// <summary>Records the silo-to-silo port the started silo bound (nothing for a one-silo cluster).</summary>
    partial void CaptureSiloPort(SiloHandle silo);

    /// <summary>Registers clustering on a silo of a multi-silo cluster (nothing for a one-silo cluster).</summary>
    partial void ConfigureClustering(ISiloBuilder siloBuilder, SiloHandle silo);

    /// <summary>Fails clearly when a cluster of <paramref name="silos"/> silos cannot be formed by this build.</summary>
    partial void EnsureClusteringAvailable(int silos);

    private static async Task DisposeHostAsync(IHost host)
    {
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
