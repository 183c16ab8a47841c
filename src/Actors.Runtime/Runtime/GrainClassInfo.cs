using System.Collections.Concurrent;
using System.Reflection;
using Actors.Concurrency;
using Actors.Invocation;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime;

/// <summary>What the runtime knows about one registered grain class: its type name, policies, factory and method invokers.</summary>
internal sealed class GrainClassInfo
{
    private readonly ConcurrentDictionary<GrainMethod, GrainMethodInvoker> _invokers = new();
    private readonly ConcurrentDictionary<GrainMethod, MethodInfo> _implementations = new();
    private readonly ConcurrentDictionary<GrainMethod, bool> _interleaves = new();
    private readonly Func<IServiceProvider, ActivationData, IGrainBase> _factory;

    public GrainClassInfo(Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        if (!IsGrainClass(grainClass))
        {
            throw new ArgumentException($"'{grainClass.FullName}' is not a concrete, closed class deriving from Actors.Grain or implementing Actors.IGrainBase.", nameof(grainClass));
        }

        GrainClass = grainClass;
        TypeName = GrainTypeNames.ForClass(grainClass);
        IsReentrant = grainClass.GetCustomAttribute<ReentrantAttribute>(inherit: true) is not null;
        Admission = IsReentrant ? RequestAdmission.Interleaved : RequestAdmission.Exclusive;
        MayInterleave = SchedulingRules.MayInterleavePredicate(grainClass);
        MaxLocalWorkers = grainClass.GetCustomAttribute<StatelessWorkerAttribute>(inherit: true)?.MaxLocalWorkers;
        CollectionAge = grainClass.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true)?.AgeLimit;
        Stores = GrainStoreSelection.For(grainClass);
        GrainInterfaces = grainClass.GetInterfaces().Where(GrainMethodRegistry.IsGrainInterface).ToArray();
        (_factory, PersistentStates) = GrainConstruction.CreateFactory(this);
        IEnumerable<string> stores = PersistentStates.Select(s => s.StoreName);
        if (IsJournaled)
        {
            stores = stores.Append(Stores.JournalStoreName);
        }
        else if (IsStateful)
        {
            stores = stores.Append(Stores.StorageName);
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

    /// <summary>When a request may start next to running ones (the class's interleaving rule).</summary>
    public RequestAdmission Admission { get; }

    /// <summary>The class's <see cref="MayInterleaveAttribute"/> predicate, or null.</summary>
    public Func<IInvokable, bool>? MayInterleave { get; }

    /// <summary>The class's <see cref="StatelessWorkerAttribute"/> worker limit, or null for a single activation per grain id.</summary>
    public int? MaxLocalWorkers { get; }

    /// <summary>
    /// Whether requests for <paramref name="method"/> always interleave: the interface method is
    /// <see cref="AlwaysInterleaveAttribute"/> or <see cref="ReentrantAttribute"/>, or the class's implementation is
    /// <see cref="ReentrantAttribute"/>.
    /// </summary>
    public bool IsAlwaysInterleave(GrainMethod method)
        => method.IsAlwaysInterleave || _interleaves.GetOrAdd(method, static (m, info) => info.GetImplementation(m).IsDefined(typeof(ReentrantAttribute), inherit: true), this);

    /// <summary>The per-class collection age, or null for the silo default.</summary>
    public TimeSpan? CollectionAge { get; }

    /// <summary>The stores the class uses (state, journal), by the provider attributes on it.</summary>
    public GrainStoreSelection Stores { get; }

    public IReadOnlyList<Type> GrainInterfaces { get; }

    /// <summary>The [PersistentState] constructor parameters: state name, resolved store name and what named it (null: the default).</summary>
    public IReadOnlyList<(string StateName, string StoreName, string? SelectedBy)> PersistentStates { get; }

    /// <summary>Whether the class derives from <c>JournaledGrain&lt;,&gt;</c>.</summary>
    public bool IsJournaled => GrainBaseTypes.IsJournaled(GrainClass);

    /// <summary>Whether the class derives from <see cref="Grain{TState}"/>.</summary>
    public bool IsStateful => GrainBaseTypes.IsStateful(GrainClass);

    public IGrainBase Create(IServiceProvider services, ActivationData activation) => _factory(services, activation);

    /// <summary>Whether <paramref name="type"/> can be registered as a grain class: concrete, non-generic, a <see cref="Grain"/> or <see cref="IGrainBase"/>.</summary>
    public static bool IsGrainClass(Type type)
        => type.IsClass && !type.IsAbstract && !type.ContainsGenericParameters && typeof(IGrainBase).IsAssignableFrom(type);

    /// <summary>Whether <paramref name="type"/> is the definition of a generic grain class (registered open, closed per call).</summary>
    public static bool IsGenericGrainClass(Type type)
        => type.IsClass && !type.IsAbstract && type.IsGenericTypeDefinition && typeof(IGrainBase).IsAssignableFrom(type)
            && (type.DeclaringType is null || !type.DeclaringType.IsGenericType);

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
        if (!m.InterfaceType.IsAssignableFrom(cls) && !typeof(IGrainExtension).IsAssignableFrom(m.InterfaceType))
        {
            throw new InvalidOperationException($"Grain class '{cls.FullName}' does not implement '{m.InterfaceType.FullName}' (method {m.Key}).");
        }

        return GeneratedGrainCode.TryGetInvoker(m.Method, out Func<object, object?[], ValueTask<object?>>? generated)
            ? GrainMethodInvoker.FromGenerated(generated)
            : GrainMethodInvoker.Compile(m);
    }, GrainClass);

    /// <summary>The messages for the class's grain interfaces that have methods but no generated reference (checked at silo start).</summary>
    /// <remarks>
    /// Observer interfaces that a grain interface method takes or returns are checked too: a grain would otherwise
    /// receive or create references the runtime refuses only when the first notification is sent.
    /// </remarks>
    public IEnumerable<string> FindUngeneratedInterfaces() =>
        GrainInterfaces.Concat(ObserverInterfacesIn(GrainInterfaces)).Distinct()
            .Select(GeneratedGrainCode.MissingReference).OfType<GrainInterfaceNotGeneratedException>()
            .Select(missing => $"Grain class '{GrainClass.FullName}': {missing.Message}");

    // The observer interfaces appearing as parameter or result types (Task<T> unwrapped) of the interfaces' methods.
    private static IEnumerable<Type> ObserverInterfacesIn(IEnumerable<Type> grainInterfaces) =>
        grainInterfaces.SelectMany(i => i.GetMethods())
            .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .Select(t => t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Task<>) || t.GetGenericTypeDefinition() == typeof(ValueTask<>)) ? t.GenericTypeArguments[0] : t)
            .Where(t => t.IsInterface && t != typeof(IGrainObserver) && typeof(IGrainObserver).IsAssignableFrom(t) && !t.ContainsGenericParameters);

    /// <summary>
    /// Checks at silo start that every store the class names explicitly is configured and that its attributes agree;
    /// returns the problems. A store used by default (no attribute names it) is checked when the grain activates, as
    /// Orleans does: the activation then fails naming the class and how to configure one.
    /// </summary>
    public IEnumerable<string> FindMissingStores(IServiceProvider services)
    {
        foreach (string conflict in Stores.Conflicts)
        {
            yield return conflict;
        }

        var keyed = services.GetService<IServiceProviderIsKeyedService>();
        foreach ((string stateName, string store, string? selectedBy) in PersistentStates)
        {
            if (selectedBy is not null && keyed?.IsKeyedService(typeof(IGrainStorage), store) != true)
            {
                yield return Stores.MissingGrainStorage(store, stateName, selectedBy).Message;
            }
        }

        if (IsJournaled)
        {
            if (Stores.JournalSelectedBy is not null && keyed?.IsKeyedService(typeof(Journaling.IJournalAdaptorFactory), Stores.JournalStoreName) != true)
            {
                yield return Stores.MissingJournalStore(keyed?.IsKeyedService(typeof(IGrainStorage), Stores.JournalStoreName) == true).Message;
            }
        }
        else if (IsStateful && Stores.StorageSelectedBy is not null && keyed?.IsKeyedService(typeof(IGrainStorage), Stores.StorageName) != true)
        {
            yield return Stores.MissingGrainStorage(Stores.StorageName, null, Stores.StorageSelectedBy).Message;
        }
    }
}
