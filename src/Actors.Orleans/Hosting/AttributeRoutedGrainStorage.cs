using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;
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
    /// <summary>
    /// Reads through the routed provider. A grain of a class without the attribute that its provider finds nothing for
    /// is refused (<see cref="GrainDataUnderAnotherProviderException"/>) when the silo's log holds the same grain's
    /// state under a grain storage provider: its class left the log (the attribute removed), and serving it empty would
    /// lose that data.
    /// </summary>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        IGrainStorage storage = Route(grainId);
        await storage.ReadStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
        if (grainState.RecordExists || classes.IsOnLog(grainId.Type) || services.GetService<SiloLog>() is not { } siloLog || !siloLog.TryGetOpenLog(out IEventLog? log))
        {
            return;
        }

        string what = $"state '{stateName}' of grain {grainId}";
        string? stored;
        try
        {
            stored = await OtherProviderStreams.FindStateForGrainAsync(log, siloLog.ProviderPrefixes, stateName, grainId, what).ConfigureAwait(false);
        }
        catch (Exception ex) when (LogErrors.Translate(ex, $"Looking for {what} on the write-ahead log", GrainStreamNames.AllStatesPrefix, reading: true) is { } translated)
        {
            throw translated;
        }

        if (stored is not null)
        {
            throw new GrainDataUnderAnotherProviderException(what, $"(none: read from {storage.GetType().Name}, the default storage of classes without [WriteAheadLog])", stored);
        }
    }

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
