using Actors.Cluster.Diagnostics;
using Actors.Cluster.GrainLocation;
using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Reminders;
using Actors.Cluster.Replication;
using Actors.Cluster.Routing;
using Actors.Cluster.Storage;
using Actors.Hosting;
using Actors.Hosting.Gateway;
using Actors.Invocation;
using Actors.Persistence.Wal;
using Actors.Reminders;
using Actors.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Actors.Cluster.Hosting;

/// <summary>
/// The composition of one silo's cluster layer: identity, transport, membership, partition logs and ownership, the grain
/// directory, the router and the message handler, built from the silo's services.
/// </summary>
internal sealed class ClusterSilo : IClusterView
{
    private readonly IServiceProvider _services;

    public ClusterSilo(IServiceProvider services)
    {
        _services = services;
        Options = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        SiloOptions silo = services.GetRequiredService<IOptions<SiloOptions>>().Value;
        ILoggerFactory loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        Store = services.GetService<IClusterStore>() ?? throw new InvalidOperationException(
            "Clustering needs a cluster store: call UsePostgreSqlClustering(...) or UseInMemoryClustering(...) on the silo builder.");
        Identity = new LocalSiloIdentity(Options.ClusterId, silo.SiloName, Options.Secret);
        ILogger messagingLog = loggers.CreateLogger("Actors.Cluster.Messaging");
        Transport = new SiloTransport(Options, Identity, messagingLog);
        Membership = new MembershipAgent(Store, Options, silo.SiloName, () => Identity.Endpoint, GatewayEndpoint, time, loggers.CreateLogger("Actors.Cluster.Membership"));
        Logs = new PartitionLogHost(services.GetService<ClusterInnerLogFactory>()?.Factory ?? new FileEventLogFactory(time), loggers);
        LogFactory = new PartitionedEventLogFactory(Logs);
        var keyed = services.GetRequiredService<IServiceProviderIsKeyedService>();
        WalGrainTypes = new WalGrainTypes(store => keyed.IsKeyedService(typeof(WriteAheadLogStore), store), remindersArePartitioned: keyed.IsService(typeof(IReminderTable)));
        Directory = new GrainDirectory(Membership, Transport, Options, loggers.CreateLogger("Actors.Cluster.Directory"));
        Reminders = new ReminderPartitionOwnership(loggers.CreateLogger("Actors.Cluster.Reminders"));
        HandOff = new PartitionHandOff(Membership, Logs, new PartitionTransferSender(Logs, Transport, Options), Transport,
            services.GetRequiredService<ISiloActivations>(), WalGrainTypes, Reminders, Options, time, loggers.CreateLogger("Actors.Cluster.HandOff"));
        Replicas = new PartitionReplicas(Store, Options, Transport, Replication, services.GetService<ClusterInnerLogFactory>()?.Factory ?? new FileEventLogFactory(time),
            () => Membership.Current, loggers, time);
        Logs.ReplicatedLog = Replicas.LogOf;
        Ownership = new PartitionOwnershipAgent(Membership, Logs, HandOff, Reminders, Replicas, Options, time, loggers.CreateLogger("Actors.Cluster.Partitions"));
        Reminders.Attached = Ownership.Nudge;
        Receiver = new PartitionTransferReceiver(Logs, Ownership.CheckTransferAsync, Ownership.OnInstalled, loggers.CreateLogger("Actors.Cluster.Transfer"));
        Logs.WriteFence = Ownership.CanWrite;
        var codec = new RemoteCallCodec(services.GetRequiredService<GrainMethodRegistry>(), services.GetRequiredService<Serializer>());
        Func<IGrainCallInvoker> invoker = new SiloInvokerAccess(services, silo.SiloName).Get;
        Router = new ClusterCallRouter(Membership, Ownership, Directory, WalGrainTypes, Transport, codec, Cache, Options, silo.ResponseTimeout, invoker, time,
            loggers.CreateLogger("Actors.Cluster.Routing"));
        GatewayRouting = new ClusterGatewayRouting(() => services.GetService<IGrainClassCatalog>()?.GrainClasses ?? [], WalGrainTypes);
        Handler = new ClusterMessageHandler(Membership, Directory, Receiver, Ownership, codec, invoker, Replication, time, loggers.CreateLogger("Actors.Cluster.Routing"));
    }

    public ClusterOptions Options { get; }

    public IClusterStore Store { get; }

    public LocalSiloIdentity Identity { get; }

    public SiloTransport Transport { get; }

    public MembershipAgent Membership { get; }

    public PartitionLogHost Logs { get; }

    public PartitionedEventLogFactory LogFactory { get; }

    public WalGrainTypes WalGrainTypes { get; }

    /// <summary>Which reminder partitions the silo's reminder service serves (this silo's partitions).</summary>
    public ReminderPartitionOwnership Reminders { get; }

    public GrainDirectory Directory { get; }

    public PartitionOwnershipAgent Ownership { get; }

    /// <summary>Moves this silo's partitions to other silos (started by <see cref="Ownership"/>'s reconcile).</summary>
    public PartitionHandOff HandOff { get; }

    public PartitionTransferReceiver Receiver { get; }

    public LocationCache Cache { get; } = new();

    public ClusterCallRouter Router { get; }

    public ClusterMessageHandler Handler { get; }

    /// <summary>The routing table the silo's gateway gives clients (partition owners' gateways, partition-bound types).</summary>
    public ClusterGatewayRouting GatewayRouting { get; }

    /// <summary>The partition replicas this silo hosts, which receive the <see cref="SiloMessageType.Replication"/> requests of other silos.</summary>
    public ReplicationInbox Replication { get; } = new();

    /// <summary>This silo's replicas of replicated partitions (replication factor above 1).</summary>
    public PartitionReplicas Replicas { get; }

    /// <inheritdoc />
    public string SiloName => Membership.Name;

    /// <inheritdoc />
    public long Incarnation => Membership.Incarnation;

    /// <inheritdoc />
    public bool IsMember => Membership.Incarnation > 0 && Membership.Lease.IsValid;

    /// <inheritdoc />
    public bool IsDeclaredDead => Membership.IsDeclaredDead;

    /// <inheritdoc />
    public ClusterSnapshot? Snapshot => Membership.Current;

    /// <inheritdoc />
    public async Task<ClusterSnapshot?> ReadTableAsync(CancellationToken cancellationToken)
        => Incarnation > 0 ? await Store.ReadAsync(Options.ClusterId, cancellationToken) : null;

    /// <inheritdoc />
    public IReadOnlyList<LocalPartitionState> LocalPartitions
        => Membership.Current is { } snapshot && Incarnation > 0
            ? Enumerable.Range(0, snapshot.PartitionCount).Select(p => Ownership.StateOf(p).State).ToArray()
            : [];

    /// <inheritdoc />
    public IReadOnlyList<string> Gateways
        => Membership.Current?.ActiveGateways() ?? [];

    /// <inheritdoc />
    public long ForwardedCalls => Router.ForwardedCalls;

    /// <summary>Gauges of this silo's view (live silos, served partitions).</summary>
    public IDisposable ObserveInstruments() => ClusterInstruments.ObserveView(
        () => Membership.Current?.Silos.Count(s => s.IsLive) ?? 0,
        () => Ownership.ServedCount);

    /// <summary>Gauges and counters of this silo's partition replicas (log positions, checkpoints; <see cref="ReplicationInstruments.ObserveReplicas"/>).</summary>
    public IDisposable ObserveReplicaInstruments() => ReplicationInstruments.ObserveReplicas(Replicas.Observe, Replicas.ObserveJournal);

    private string? GatewayEndpoint()
    {
        if (_services.GetService<IGatewayInfo>() is not { } gateway)
        {
            return null;
        }

        GatewayOptions options = _services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        int port = gateway.ListeningEndPoint?.Port ?? options.Port;
        if (port == 0)
        {
            return null;
        }

        string host = options.BindAddress is "0.0.0.0" or "::"
            ? Options.AdvertisedHost ?? System.Net.Dns.GetHostName()
            : options.BindAddress;
        return $"{host}:{port}";
    }
}
