using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Actors.Orleans.Hosting;

/// <summary>
/// The silo's unkeyed <see cref="IGrainStorage"/> (what Orleans uses where a grain names no storage provider) once
/// <c>AddWriteAheadLog</c> is called: grains whose class has <see cref="WriteAheadLogAttribute"/> go to the write-ahead-log
/// storage named <see cref="WriteAheadLogAttribute.ProviderName"/>; every other grain goes to the default provider the
/// silo had, exactly as before, or fails as Orleans fails when there is none.
/// </summary>
internal sealed class AttributeRoutedGrainStorage(IServiceProvider services, GrainClassAttributes classes, DefaultProviderFallback<IGrainStorage> fallback) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Route(grainId).ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Route(grainId).WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Route(grainId).ClearStateAsync(stateName, grainId, grainState);

    private IGrainStorage Route(GrainId grainId)
    {
        if (classes.IsOnLog(grainId.Type))
        {
            return services.GetRequiredKeyedService<IGrainStorage>(WriteAheadLogAttribute.ProviderName);
        }

        return fallback.Instance ?? throw new BadProviderConfigException($"No default storage provider found loading grain type {grainId.Type}.");
    }
}
