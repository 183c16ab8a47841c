using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Hosting;

/// <summary>Finds the write-ahead-log stores a silo registered (for infrastructure that manages their logs, such as a cluster).</summary>
public static class WriteAheadLogStores
{
    /// <summary>Every store registered with <c>AddWriteAheadLog</c>, once each, in registration order.</summary>
    public static IReadOnlyList<WriteAheadLogStore> GetAll(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetServices<WriteAheadLogStoreRegistration>()
            .Select(r => r.Name)
            .Distinct(StringComparer.Ordinal)
            .Select(name => services.GetRequiredKeyedService<WriteAheadLogStore>(name))
            .ToArray();
    }
}
