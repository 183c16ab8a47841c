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
    private readonly Func<IServiceProvider, ActivationData, Grain> _factory;

    public GrainClassInfo(Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        if (!typeof(Grain).IsAssignableFrom(grainClass) || grainClass.IsAbstract || grainClass.ContainsGenericParameters)
        {
            throw new ArgumentException($"'{grainClass.FullName}' is not a concrete class deriving from Actors.Grain.", nameof(grainClass));
        }

        GrainClass = grainClass;
        TypeName = GrainTypeNames.ForClass(grainClass);
        IsReentrant = grainClass.GetCustomAttribute<ReentrantAttribute>(inherit: true) is not null;
        Admission = IsReentrant ? RequestAdmission.Interleaved : RequestAdmission.Exclusive;
        CollectionAge = grainClass.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true)?.AgeLimit;
        StorageAttribute = grainClass.GetCustomAttribute<StorageProviderAttribute>(inherit: true);
        GrainInterfaces = grainClass.GetInterfaces()
            .Where(i => typeof(IGrain).IsAssignableFrom(i) && i != typeof(IGrain) && i != typeof(IGrainWithStringKey)
                && i != typeof(IGrainWithGuidKey) && i != typeof(IGrainWithIntegerKey))
            .ToArray();
        (_factory, PersistentStates) = GrainConstruction.CreateFactory(this);
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

    /// <summary>When a request may start next to running ones (the class's interleaving rule).</summary>
    public RequestAdmission Admission { get; }

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

    public Grain Create(IServiceProvider services, ActivationData activation) => _factory(services, activation);

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
