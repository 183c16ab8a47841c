using System.Net;
using Actors.Invocation;
using Actors.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Actors.Client;

/// <summary>
/// Builds an <see cref="IClusterClient"/> without a host:
/// <c>await using var client = new ClusterClientBuilder().UseGateway("127.0.0.1:30000").Build();</c>.
/// </summary>
/// <remarks>Not thread-safe; build once and share the client.</remarks>
public sealed class ClusterClientBuilder
{
    private readonly ClientOptions _options = new();
    private readonly List<Action<SerializerBuilder>> _serializerConfigurations = [];
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private readonly List<IOutgoingGrainCallFilter> _outgoingFilters = [];

    /// <summary>Adds a gateway endpoint as <c>host:port</c>.</summary>
    public ClusterClientBuilder UseGateway(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        _options.Gateways.Add(endpoint);
        return this;
    }

    /// <summary>Adds a gateway endpoint.</summary>
    public ClusterClientBuilder UseGateway(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _options.Gateways.Add(endpoint.ToString());
        return this;
    }

    /// <summary>Learns the gateways from <paramref name="provider"/> before each connect (see <see cref="ClientOptions.GatewayListProvider"/>).</summary>
    public ClusterClientBuilder UseGatewayListProvider(IGatewayListProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _options.GatewayListProvider = provider;
        return this;
    }

    /// <summary>Sets the shared secret presented to the gateway.</summary>
    public ClusterClientBuilder UseSecret(string? secret)
    {
        _options.Secret = secret;
        return this;
    }

    /// <summary>Changes any option.</summary>
    public ClusterClientBuilder Configure(Action<ClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>
    /// Configures the client's serializer (converters, hand-written codecs, the explicit JSON opt-in...); it must carry the
    /// same types as the silo's. Generated serializers of loaded assemblies are found without configuration.
    /// </summary>
    public ClusterClientBuilder ConfigureSerializer(Action<SerializerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _serializerConfigurations.Add(configure);
        return this;
    }

    /// <summary>Sets the logger factory (default: no logging).</summary>
    public ClusterClientBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Adds an outgoing grain call filter: it runs, in registration order, for every call this client makes.</summary>
    public ClusterClientBuilder AddOutgoingGrainCallFilter(IOutgoingGrainCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _outgoingFilters.Add(filter);
        return this;
    }

    /// <summary>Adds an outgoing grain call filter delegate.</summary>
    public ClusterClientBuilder AddOutgoingGrainCallFilter(OutgoingGrainCallFilterDelegate filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return AddOutgoingGrainCallFilter(new DelegateOutgoingGrainCallFilter(filter));
    }

    /// <summary>Validates the options and creates the client (it connects on <see cref="IClusterClient.ConnectAsync"/> or the first call).</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names the setting.</exception>
    public IClusterClient Build()
    {
        ValidateOptionsResult result = new ClientOptionsValidator().Validate(Options.DefaultName, _options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ClientOptions), result.Failures);
        }

        var snapshot = new ClientOptions
        {
            Gateways = [.. _options.Gateways],
            GatewayListProvider = _options.GatewayListProvider,
            Secret = _options.Secret,
            ResponseTimeout = _options.ResponseTimeout,
            ConnectTimeout = _options.ConnectTimeout,
            ConnectAttempts = _options.ConnectAttempts,
            ConnectRetryDelay = _options.ConnectRetryDelay,
            MaxFrameBytes = _options.MaxFrameBytes,
            RouteToPartitionOwners = _options.RouteToPartitionOwners,
            Tls = new ClientTlsOptions
            {
                Enabled = _options.Tls.Enabled,
                AllowedServerThumbprints = [.. _options.Tls.AllowedServerThumbprints],
                TargetHost = _options.Tls.TargetHost,
            },
        };
        ClusterClient? client = null;
        Action<SerializerBuilder>[] configurations = [.. _serializerConfigurations];
        Serializer serializer = GrainCallSerializers.Create(
            () => client ?? throw new InvalidOperationException("The client is not built yet."),
            builder => Array.ForEach(configurations, configure => configure(builder)));
        client = new ClusterClient(new GatewayCallInvoker(snapshot, serializer, _loggerFactory.CreateLogger<GatewayCallInvoker>(), [.. _outgoingFilters]));
        return client;
    }
}
