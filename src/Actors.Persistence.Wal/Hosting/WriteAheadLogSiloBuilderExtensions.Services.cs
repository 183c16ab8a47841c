using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Hosting;

/// <content>The services every store shares, and the per-store runtime adapters.</content>
public static partial class WriteAheadLogSiloBuilderExtensions
{
    private static partial void AddCommonServices(IServiceCollection services, string name)
    {
        _ = services;
        _ = name;
    }
}
