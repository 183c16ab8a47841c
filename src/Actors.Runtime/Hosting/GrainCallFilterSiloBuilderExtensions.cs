using Actors.Invocation;
using Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting;

/// <summary>Registers silo-wide grain call filters (Orleans' <c>AddIncomingGrainCallFilter</c> / <c>AddOutgoingGrainCallFilter</c>).</summary>
/// <remarks>
/// Incoming filters run, in registration order, for every call and timer tick arriving at an activation of this silo,
/// before the grain-level filter (a grain class implementing <see cref="IIncomingGrainCallFilter"/>). Outgoing filters
/// run, in registration order, for every call made in this silo (by grains or silo code), not for calls that arrived
/// through the gateway.
/// </remarks>
public static class GrainCallFilterSiloBuilderExtensions
{
    /// <summary>Adds an incoming filter of type <typeparamref name="TFilter"/> (a singleton created with constructor injection).</summary>
    public static ISiloBuilder AddIncomingGrainCallFilter<TFilter>(this ISiloBuilder builder)
        where TFilter : class, IIncomingGrainCallFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IIncomingGrainCallFilter, TFilter>();
        return builder;
    }

    /// <summary>Adds an incoming filter instance.</summary>
    public static ISiloBuilder AddIncomingGrainCallFilter(this ISiloBuilder builder, IIncomingGrainCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(filter);
        builder.Services.AddSingleton(filter);
        return builder;
    }

    /// <summary>Adds an incoming filter delegate.</summary>
    public static ISiloBuilder AddIncomingGrainCallFilter(this ISiloBuilder builder, IncomingGrainCallFilterDelegate filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return builder.AddIncomingGrainCallFilter(new DelegateIncomingGrainCallFilter(filter));
    }

    /// <summary>Adds an outgoing filter of type <typeparamref name="TFilter"/> (a singleton created with constructor injection).</summary>
    public static ISiloBuilder AddOutgoingGrainCallFilter<TFilter>(this ISiloBuilder builder)
        where TFilter : class, IOutgoingGrainCallFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IOutgoingGrainCallFilter, TFilter>();
        return builder;
    }

    /// <summary>Adds an outgoing filter instance.</summary>
    public static ISiloBuilder AddOutgoingGrainCallFilter(this ISiloBuilder builder, IOutgoingGrainCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(filter);
        builder.Services.AddSingleton(filter);
        return builder;
    }

    /// <summary>Adds an outgoing filter delegate.</summary>
    public static ISiloBuilder AddOutgoingGrainCallFilter(this ISiloBuilder builder, OutgoingGrainCallFilterDelegate filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return builder.AddOutgoingGrainCallFilter(new DelegateOutgoingGrainCallFilter(filter));
    }
}
