using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Actors.Orleans.Hosting;

/// <summary>Which grain types carry <see cref="WriteAheadLogAttribute"/>, looked up once per type through Orleans's grain class map.</summary>
internal sealed class GrainClassAttributes(IServiceProvider services)
{
    private readonly ConcurrentDictionary<GrainType, bool> _onLog = new();

    /// <summary>True when the class of <paramref name="grainType"/> has <see cref="WriteAheadLogAttribute"/>.</summary>
    public bool IsOnLog(GrainType grainType) => _onLog.GetOrAdd(grainType, static (type, sp) =>
        sp.GetRequiredService<GrainClassMap>().TryGetGrainClass(type, out Type? grainClass)
        && grainClass.GetCustomAttribute<WriteAheadLogAttribute>(inherit: true) is not null, services);

    /// <summary>True when <paramref name="grainClass"/> has <see cref="WriteAheadLogAttribute"/>.</summary>
    public static bool IsOnLog(Type grainClass) => grainClass.GetCustomAttribute<WriteAheadLogAttribute>(inherit: true) is not null;
}
