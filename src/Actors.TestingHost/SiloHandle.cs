using Microsoft.Extensions.Hosting;

namespace Actors.TestingHost;

/// <summary>One silo of a <see cref="TestCluster"/>: its context and, while it runs, its host.</summary>
public sealed class SiloHandle
{
    internal SiloHandle(TestSiloContext context)
    {
        Context = context;
    }

    /// <summary>The silo's name and data directory (stable across restarts).</summary>
    public TestSiloContext Context { get; }

    /// <summary>The silo's name.</summary>
    public string Name => Context.SiloName;

    /// <summary>Whether the silo is running.</summary>
    public bool IsRunning => CurrentHost is not null;

    /// <summary>The running silo's services.</summary>
    /// <exception cref="InvalidOperationException">The silo is not running.</exception>
    public IServiceProvider Services => Host.Services;

    /// <summary>The running silo's host.</summary>
    /// <exception cref="InvalidOperationException">The silo is not running.</exception>
    public IHost Host => CurrentHost ?? throw new InvalidOperationException($"Silo '{Name}' is not running.");

    internal IHost? CurrentHost { get; set; }

    /// <summary>How many times the silo has been started.</summary>
    public int StartCount { get; internal set; }
}
