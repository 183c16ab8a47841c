using Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting;

/// <summary>Registers grain extensions (interfaces every grain of the silo answers).</summary>
public static class GrainExtensionSiloBuilderExtensions
{
    /// <summary>
    /// Makes every activation of the silo answer calls of <typeparamref name="TExtensionInterface"/>: the first such call
    /// (or <see cref="IGrainExtensionBinder.GetExtension{TExtensionInterface}"/>) creates the activation's object with
    /// <paramref name="factory"/>, and it serves the calls until the activation is gone. A grain class that implements
    /// the interface itself serves it directly. Registering the same interface again replaces the factory.
    /// </summary>
    public static ISiloBuilder AddGrainExtension<TExtensionInterface>(this ISiloBuilder builder, Func<IGrainContext, TExtensionInterface> factory)
        where TExtensionInterface : class, IGrainExtension
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (!typeof(TExtensionInterface).IsInterface)
        {
            throw new ArgumentException($"'{typeof(TExtensionInterface).FullName}' is not an interface; register the extension interface.", nameof(TExtensionInterface));
        }

        builder.Services.AddSingleton(new GrainExtensionRegistration(typeof(TExtensionInterface), context => factory(context)));
        return builder;
    }
}
