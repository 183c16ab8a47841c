using Microsoft.Extensions.Hosting;

namespace Actors.TestingHost;

/// <summary>
/// One silo of a <see cref="TestCluster"/>: its identity, its ports and, while it runs, its host. The gateway port is
/// reserved below the system's ephemeral range before the silo first starts and kept across restarts until the cluster
/// is disposed (<see cref="LoopbackPortReservation"/>: a port the system chose could be handed to another process's
/// outgoing connection while the silo is down); the silo-to-silo port is chosen anew at every start (silos find it in
/// the membership table).
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

    /// <summary>The reservation holding <see cref="GatewayPort"/> for the cluster's lifetime, or null (no gateway, or a system without an ephemeral range to avoid: the port was chosen by the system).</summary>
    internal LoopbackPortReservation? GatewayPortReservation { get; set; }

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
