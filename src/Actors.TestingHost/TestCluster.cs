using Actors.Hosting;
using Actors.Invocation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.TestingHost;

/// <summary>
/// An in-process cluster of one silo for tests: deploy, call grains through <see cref="Client"/>, stop gracefully,
/// kill abruptly, restart on the same data directory, dispose.
/// </summary>
/// <remarks>
/// <see cref="Client"/> calls the running silo's invoker in-process (arguments follow the in-silo copy rule).
/// Not thread-safe: drive one cluster from one test.
/// </remarks>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly string _baseDirectory;
    private readonly bool _ownsDirectory;
    private readonly Action<ISiloBuilder>[] _siloConfigurators;
    private readonly Action<IHostBuilder>[] _hostConfigurators;
    private readonly List<SiloHandle> _silos = [];

    internal TestCluster(string baseDirectory, bool ownsDirectory, Action<ISiloBuilder>[] siloConfigurators, Action<IHostBuilder>[] hostConfigurators)
    {
        _baseDirectory = baseDirectory;
        _ownsDirectory = ownsDirectory;
        _siloConfigurators = siloConfigurators;
        _hostConfigurators = hostConfigurators;
        Client = new GrainReferenceFactory(new ClusterClientInvoker(this));
    }

    /// <summary>A grain factory that calls the running silo.</summary>
    public IGrainFactory Client { get; }

    /// <summary>The cluster's silos (running or not).</summary>
    public IReadOnlyList<SiloHandle> Silos => _silos;

    /// <summary>The first silo.</summary>
    public SiloHandle Primary => _silos.Count > 0 ? _silos[0] : throw new InvalidOperationException("The cluster is not deployed.");

    /// <summary>Starts the silo.</summary>
    /// <exception cref="InvalidOperationException">Already deployed.</exception>
    public async Task DeployAsync(CancellationToken cancellationToken = default)
    {
        if (_silos.Count > 0)
        {
            throw new InvalidOperationException("The cluster is already deployed.");
        }

        var silo = new SiloHandle(new TestSiloContext("silo0", Path.Combine(_baseDirectory, "silo0")));
        _silos.Add(silo);
        await StartSiloAsync(silo, cancellationToken);
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

    /// <summary>Stops the silo gracefully if it runs, then starts it again with the same configuration and data directory.</summary>
    public async Task RestartSiloAsync(SiloHandle silo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.IsRunning)
        {
            await StopSiloAsync(silo, cancellationToken);
        }

        await StartSiloAsync(silo, cancellationToken);
    }

    /// <summary>Stops every running silo gracefully and deletes the data directories the cluster created.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (SiloHandle silo in _silos.Where(s => s.IsRunning).ToArray())
        {
            await StopSiloAsync(silo);
        }

        if (_ownsDirectory && Directory.Exists(_baseDirectory))
        {
            Directory.Delete(_baseDirectory, recursive: true);
        }
    }

    private async Task StartSiloAsync(SiloHandle silo, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(silo.Context.DataDirectory);
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
            foreach (Action<ISiloBuilder> configure in _siloConfigurators)
            {
                configure(siloBuilder);
            }
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
    }

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
