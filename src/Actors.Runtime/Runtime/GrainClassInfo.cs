using System.Collections.Concurrent;
using System.Reflection;
using Actors.Invocation;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime;

/// <summary>What the runtime knows about one registered grain class: its type name, policies, factory and method invokers.</summary>
internal sealed class GrainClassInfo
{
    private readonly ConcurrentDictionary<GrainMethod, GrainMethodInvoker> _invokers = new();
    private readonly ConcurrentDictionary<GrainMethod, MethodInfo> _implementations = new();
    private readonly Func<IServiceProvider, ActivationData, IGrainBase> _factory;

    public GrainClassInfo(Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        if (!IsGrainClass(grainClass))
        {
            throw new ArgumentException($"'{grainClass.FullName}' is not a concrete, non-generic class deriving from Actors.Grain or implementing Actors.IGrainBase.", nameof(grainClass));
        }

        GrainClass = grainClass;
        TypeName = GrainTypeNames.ForClass(grainClass);
        IsReentrant = grainClass.GetCustomAttribute<ReentrantAttribute>(inherit: true) is not null;
        CollectionAge = grainClass.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true)?.AgeLimit;
        StorageAttribute = grainClass.GetCustomAttribute<StorageProviderAttribute>(inherit: true);
        GrainInterfaces = grainClass.GetInterfaces().Where(GrainMethodRegistry.IsGrainInterface).ToArray();
        (_factory, IReadOnlyList<(string, string)> states) = GrainConstruction.CreateFactory(this);
        PersistentStates = HasGrainState(grainClass) ? [.. states, (Grain<object>.StateName, DefaultStoreName)] : states;
        IEnumerable<string> stores = PersistentStates.Select(s => s.StoreName);
        if (IsJournaled)
        {
            stores = stores.Append(DefaultStoreName);
        }

        Descriptor = new Hosting.GrainClassDescriptor(grainClass, TypeName, stores.Distinct(StringComparer.Ordinal).ToArray());
    }

    public Type GrainClass { get; }

    /// <summary>The class as an <see cref="Hosting.IGrainCallRouter"/> sees it.</summary>
    public Hosting.GrainClassDescriptor Descriptor { get; }

    public string TypeName { get; }

    public bool IsReentrant { get; }

    /// <summary>Whether the class is a grain-level incoming call filter (implements <see cref="IIncomingGrainCallFilter"/>).</summary>
    public bool IsIncomingFilter => typeof(IIncomingGrainCallFilter).IsAssignableFrom(GrainClass);

    /// <summary>The per-class collection age, or null for the silo default.</summary>
    public TimeSpan? CollectionAge { get; }

    /// <summary>The class's store opt-in, or null (volatile journal; persistent states default to <see cref="StorageNames.Default"/>).</summary>
    public StorageProviderAttribute? StorageAttribute { get; }

    public IReadOnlyList<Type> GrainInterfaces { get; }

    /// <summary>The [PersistentState] constructor parameters: state name and resolved store name.</summary>
    public IReadOnlyList<(string StateName, string StoreName)> PersistentStates { get; }

    /// <summary>Whether the class derives from <c>JournaledGrain&lt;,&gt;</c>.</summary>
    public bool IsJournaled => Journaling.JournaledGrainTypes.IsJournaled(GrainClass);

    /// <summary>The default store for this class's states and journal.</summary>
    public string DefaultStoreName => StorageAttribute?.StoreName ?? StorageNames.Default;

    public IGrainBase Create(IServiceProvider services, ActivationData activation) => _factory(services, activation);

    /// <summary>Whether the class derives from <see cref="Grain{TGrainState}"/> (its state is checked like a [PersistentState] one).</summary>
    private static bool HasGrainState(Type grainClass)
    {
        for (Type? type = grainClass; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Grain<>))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> can be registered as a grain class: concrete, non-generic, a <see cref="Grain"/> or <see cref="IGrainBase"/>.</summary>
    public static bool IsGrainClass(Type type)
        => type.IsClass && !type.IsAbstract && !type.ContainsGenericParameters && typeof(IGrainBase).IsAssignableFrom(type);

    /// <summary>The class's method implementing <paramref name="method"/> (the interface method itself when the class does not implement its interface, as for timer ticks).</summary>
    public MethodInfo GetImplementation(GrainMethod method) => _implementations.GetOrAdd(method, static (m, cls) =>
    {
        if (!m.InterfaceType.IsAssignableFrom(cls))
        {
            return m.Method;
        }

        InterfaceMapping map = cls.GetInterfaceMap(m.InterfaceType);
        int index = Array.IndexOf(map.InterfaceMethods, m.Method);
        return index < 0 ? m.Method : map.TargetMethods[index];
    }, GrainClass);

    public GrainMethodInvoker GetInvoker(GrainMethod method) => _invokers.GetOrAdd(method, static (m, cls) =>
    {
        if (!m.InterfaceType.IsAssignableFrom(cls))
        {
            throw new InvalidOperationException($"Grain class '{cls.FullName}' does not implement '{m.InterfaceType.FullName}' (method {m.Key}).");
        }

        return GrainMethodInvoker.Compile(m);
    }, GrainClass);

    /// <summary>Checks that every store the class uses is configured; returns the problems.</summary>
    public IEnumerable<string> FindMissingStores(IServiceProvider services)
    {
        var keyed = services.GetService<IServiceProviderIsKeyedService>();
        foreach ((string stateName, string store) in PersistentStates)
        {
            if (keyed?.IsKeyedService(typeof(IGrainStorage), store) != true)
            {
                yield return $"Grain type '{GrainClass.FullName}' ('{TypeName}') uses grain storage '{store}' for persistent state '{stateName}', but no grain storage named '{store}' is configured.";
            }
        }

        if (IsJournaled && StorageAttribute is not null && keyed?.IsKeyedService(typeof(Journaling.IJournalAdaptorFactory), DefaultStoreName) != true)
        {
            yield return $"Grain type '{GrainClass.FullName}' ('{TypeName}') uses journal store '{DefaultStoreName}', but no journal store named '{DefaultStoreName}' is configured.";
        }
    }
}
