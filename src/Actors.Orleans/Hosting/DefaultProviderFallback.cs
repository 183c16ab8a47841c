using Microsoft.Extensions.DependencyInjection;

namespace Actors.Orleans.Hosting;

/// <summary>
/// The silo's default provider of <typeparamref name="TService"/> as it was before the attribute routing replaced the
/// unkeyed registration: that registration itself when there was one, else the provider keyed "Default", else none.
/// </summary>
internal sealed class DefaultProviderFallback<TService>
    where TService : class
{
    private readonly ServiceDescriptor? _replaced;
    private readonly Lazy<TService?> _instance;

    public DefaultProviderFallback(ServiceDescriptor? replaced, IServiceProvider services)
    {
        _replaced = replaced;
        _instance = new Lazy<TService?>(() => Resolve(services));
    }

    /// <summary>The default provider, or null when the silo has none.</summary>
    public TService? Instance => _instance.Value;

    private TService? Resolve(IServiceProvider services)
    {
        if (_replaced is null)
        {
            return services.GetKeyedService<TService>(global::Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        }

        return (TService?)(_replaced.ImplementationInstance
            ?? _replaced.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, _replaced.ImplementationType!));
    }
}
