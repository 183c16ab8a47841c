using Microsoft.Extensions.Hosting;

namespace Actors.TestingHost;

/// <summary>
/// One silo of a <see cref="TestCluster"/>: its identity, its ports and, while it runs, its host. The gateway port is
/// chosen by the system when the silo first binds it (port 0, so no other process can take it between a choice and the
/// bind) and kept across restarts; the silo-to-silo port is chosen anew at every start (silos find it in the membership
/// table).
/// </summary>
public sealed class SiloHandle
{
    internal SiloHandle(TestSiloContext context, int instanceNumber)
    {
        Context = context;
        InstanceNumber = instanceNumber;
    }

    /// <summary>The silo's name and data directory (stable across restarts).</summary>
    public TestSiloContext Context { get; }

    /// <summary>The silo's name.</summary>
    public string Name => Context.SiloName;

    /// <summary>The silo's position in start order (0 for the primary).</summary>
    public int InstanceNumber { get; }

    /// <summary>The loopback port of the silo's gateway (used when the cluster's client connects through gateways); 0 before its first start.</summary>
    public int GatewayPort { get; internal set; }

    /// <summary>The loopback port of the silo's silo-to-silo endpoint in its latest start (when the silos form a cluster), else 0.</summary>
    public int SiloPort { get; internal set; }

    /// <summary>Whether the silo is running.</summary>
    public bool IsRunning => CurrentHost is not null;

    /// <summary>Whether the silo is running (Orleans' name).</summary>
    public bool IsActive => IsRunning;

    /// <summary>The running silo's services.</summary>
    /// <exception cref="InvalidOperationException">The silo is not running.</exception>
    public IServiceProvider Services => Host.Services;

    /// <summary>The running silo's host.</summary>
    /// <exception cref="InvalidOperationException">The silo is not running.</exception>
    public IHost Host => CurrentHost ?? throw new InvalidOperationException($"Silo '{Name}' is not running.");

    internal IHost? CurrentHost { get; set; }

    /// <summary>How many times the silo has been started.</summary>
    public int StartCount { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
