using System.Collections.Concurrent;
using Actors.Hosting;
using Actors.Runtime;
using Actors.Serialization;
using Actors.Streams.Delivery;
using Actors.Streams.Storage;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Streams;

/// <summary>
/// A stream provider whose queue is an event log (<see cref="IEventLog"/>): the silo's write-ahead log for the durable
/// provider, an <see cref="InMemoryEventLog"/> for the memory provider. One log stream per Orleans
/// stream holds its events (the log version is the sequence number); another holds its subscriptions and their cursors;
/// one per-subscription delivery loop reads from the log and calls the subscribing grain.
/// </summary>
/// <remarks>
/// Thread-safe. Each stream's state is guarded by its own lock; log I/O and grain calls happen outside it.
/// Guarantees: a produced batch is durable (under the log's sync policy) before the producer's task completes; events
/// reach each subscription in stream order, at least once (a cursor is recorded after the subscriber acknowledged, so
/// a crash can repeat events, never skip them); one delivery in flight per subscription bounds memory.
/// </remarks>
internal sealed partial class StreamProvider : IStreamProvider, IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask<IEventLog>> _logSource;
    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<StreamId, StreamState> _streams = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private IGrainFactory? _grainFactory;
    private IGrainSerializer? _serializer;
    private Serializer? _callSerializer;
    private ImplicitSubscriptions? _implicit;
    private volatile bool _abandoned;

    public StreamProvider(string name, StreamProviderOptions options, Func<CancellationToken, ValueTask<IEventLog>> logSource, IServiceProvider services)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A stream provider name must not contain ':' ('{name}'); it is part of the log stream ids.", nameof(name));
        }

        Name = name;
        Options = options;
        _logSource = logSource;
        _services = services;
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger<StreamProvider>() ?? NullLogger<StreamProvider>.Instance;
        Instruments = new StreamingInstruments(name);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool IsRewindable => true;

    public StreamProviderOptions Options { get; }

    public StreamingInstruments Instruments { get; }

    private IGrainFactory GrainFactory => _grainFactory ??= _services.GetRequiredService<IGrainFactory>();

    private IGrainSerializer Serializer => _serializer ??= _services.GetRequiredService<IGrainSerializer>();

    /// <summary>The serializer grain calls (and so gateway clients' pulls) cross processes with.</summary>
    private Serializer CallSerializer => _callSerializer ??= _services.GetRequiredService<Serializer>();

    private ImplicitSubscriptions Implicit => _implicit ??= new ImplicitSubscriptions(_services.GetRequiredService<IGrainClassCatalog>());

    /// <summary>The provider named <paramref name="name"/> in <paramref name="services"/>.</summary>
    /// <exception cref="InvalidOperationException">No such provider.</exception>
    public static StreamProvider Of(IServiceProvider services, string name)
        => services.GetKeyedService<IStreamProvider>(name) as StreamProvider
            ?? throw new InvalidOperationException(
                $"No stream provider named '{name}' is configured in this silo. Add one with silo.AddWriteAheadLogStreams(\"{name}\") (durable) or silo.AddMemoryStreams(\"{name}\") (volatile, for tests).");

    /// <inheritdoc />
    public IAsyncStream<T> GetStream<T>(StreamId streamId) => new AsyncStream<T>(this, streamId);

    /// <summary>Stores <paramref name="items"/> as one atomic batch; completes when durable.</summary>
    public async Task ProduceAsync<T>(StreamId streamId, IReadOnlyList<T> items)
        => await RouteProduceAsync(streamId, EncodeItems(streamId, items, typeof(T)), typeof(T));

    /// <summary>Stores a completion or a producer error marker.</summary>
    public Task ProduceMarkerAsync(StreamId streamId, StreamRecordKind kind, string typeName, byte[] payload, Type itemType)
        => RouteProduceAsync(streamId, [StreamRecordCodec.Encode(kind, typeName, payload)], itemType);

    private Task RouteProduceAsync(StreamId streamId, List<ReadOnlyMemory<byte>> records, Type itemType)
        => AgentFor(streamId) is { } agent
            ? agent.Produce(Name, streamId, [.. records.Select(r => r.ToArray())], itemType)
            : ProduceCoreAsync(streamId, records, itemType);

    /// <summary>Appends encoded records to the stream's queue (where its log is) and wakes its subscriptions.</summary>
    public async Task ProduceCoreAsync(StreamId streamId, List<ReadOnlyMemory<byte>> records, Type itemType)
    {
        StreamState state = await GetLoadedAsync(streamId);
        AppendResult appended;
        try
        {
            IEventLog log = await _logSource(CancellationToken.None);
            appended = await log.AppendAsync(state.QueueLogId, ExpectedVersion.Any, records);
        }
        catch (RequestRejectedException ex)
        {
            throw new StreamItemRejectedException(Name, streamId, itemType, $"the log refused the batch ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is WalException or ObjectDisposedException or IOException)
        {
            throw new StreamStorageFailedException(Name, streamId, $"producing {records.Count} item(s) of type '{itemType.FullName}'", ex);
        }

        Instruments.Produced(records.Count);
        lock (state.Sync)
        {
            if (appended.LastVersion > state.QueueVersion)
            {
                state.QueueVersion = appended.LastVersion;
            }

            foreach (SubscriptionState subscription in state.Subscriptions.Values)
            {
                StartDeliveryLocked(state, subscription);
            }
        }
    }

    /// <summary>The activation running the current turn.</summary>
    /// <exception cref="InvalidOperationException">Not called from a grain.</exception>
    private static IGrainContext CurrentGrain(string operation)
        => RuntimeContext.Current
            ?? throw new InvalidOperationException(
                $"{operation} must be called from a grain (a subscription belongs to the grain that makes it) or from a gateway client (client.GetStreamProvider(name)).");

    private IStreamConsumerExtension Consumer(GrainId grainId) => GrainFactory.GetGrain<IStreamConsumerExtension>(grainId);

    private StreamConsumerExtension ExtensionOf(IGrainContext context)
        => (StreamConsumerExtension)context.ActivationServices.GetRequiredService<IGrainExtensionBinder>().GetExtension<IStreamConsumerExtension>(context);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        Instruments.Dispose();
        return ValueTask.CompletedTask;
    }
}
