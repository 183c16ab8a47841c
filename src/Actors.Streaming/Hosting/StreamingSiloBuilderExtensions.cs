using Actors.Persistence.Wal;
using Actors.Runtime;
using Actors.Streams;
using Actors.Streams.Cluster;
using Actors.Streams.Delivery;
using Actors.Streams.Hosting;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>Adds stream providers to a silo (Orleans' <c>AddMemoryStreams</c> and a persistent provider over the write-ahead log).</summary>
public static class StreamingSiloBuilderExtensions
{
    /// <summary>
    /// Adds the durable stream provider <paramref name="name"/>, whose queue is the write-ahead-log store
    /// <see cref="StreamProviderOptions.StoreName"/> (default <c>Default</c>, added with <c>AddWriteAheadLog</c>): a produced
    /// event is durable under the store's sync policy before <c>OnNextAsync</c> completes, subscriptions and their cursors
    /// live in the same log, and delivery resumes after a restart or a kill. Options: section <c>Actors:Streams:{name}</c>,
    /// then <paramref name="configure"/>.
    /// </summary>
    public static ISiloBuilder AddWriteAheadLogStreams(this ISiloBuilder builder, string name, Action<StreamProviderOptions>? configure = null)
        => builder.AddLogStreams(name, configure, static (sp, name, options) =>
        {
            WriteAheadLogStore store = sp.GetKeyedService<WriteAheadLogStore>(options.StoreName)
                ?? throw new InvalidOperationException(
                    $"Stream provider '{name}' uses write-ahead-log store '{options.StoreName}', which is not configured; add it with AddWriteAheadLog(\"{options.StoreName}\") or AddWriteAheadLogAsDefault().");
            return ct => store.GetLogAsync(ct);
        });

    /// <summary>
    /// Adds the volatile stream provider <paramref name="name"/> (Orleans' memory streams): the same semantics as the
    /// write-ahead-log provider over an in-memory log, so streams and subscriptions last until the silo stops. For tests
    /// and development.
    /// </summary>
    public static ISiloBuilder AddMemoryStreams(this ISiloBuilder builder, string name, Action<StreamProviderOptions>? configure = null)
        => builder.AddLogStreams(name, configure, static (_, _, _) =>
        {
            var log = new InMemoryEventLog();
            return _ => ValueTask.FromResult<IEventLog>(log);
        });

    private static ISiloBuilder AddLogStreams(
        this ISiloBuilder builder,
        string name,
        Action<StreamProviderOptions>? configure,
        Func<IServiceProvider, string, StreamProviderOptions, Func<CancellationToken, ValueTask<IEventLog>>> logSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A stream provider name must not contain ':' ('{name}').", nameof(name));
        }

        IServiceCollection services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(StreamProviderOptionsValidator)))
        {
            services.AddSingleton<StreamProviderOptionsValidator>();
            services.AddSingleton<IValidateOptions<StreamProviderOptions>>(sp => sp.GetRequiredService<StreamProviderOptionsValidator>());
            builder.AddGrainExtension<IStreamConsumerExtension>(context => new StreamConsumerExtension(context));
            builder.AddGrain<StreamAgentGrain>();
        }

        OptionsBuilder<StreamProviderOptions> options = services.AddOptions<StreamProviderOptions>(name)
            .Bind(builder.Configuration.GetSection($"{StreamProviderOptions.SectionPrefix}:{name}"))
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddKeyedSingleton<StreamProvider>(name, (sp, _) =>
        {
            StreamProviderOptions resolved = sp.GetRequiredService<IOptionsMonitor<StreamProviderOptions>>().Get(name);
            return new StreamProvider(name, resolved, logSource(sp, name, resolved), sp);
        });
        services.TryAddKeyedSingleton<IStreamProvider>(name, (sp, key) => sp.GetRequiredKeyedService<StreamProvider>(key));
        services.AddSingleton<IHostedService>(sp => new StreamProviderLifecycle(sp.GetRequiredKeyedService<StreamProvider>(name)));
        services.AddSingleton<ISiloAbruptStopParticipant>(sp => new StreamProviderLifecycle(sp.GetRequiredKeyedService<StreamProvider>(name)));
        return builder;
    }
}
