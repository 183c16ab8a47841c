using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Actors.Runtime;

namespace Actors.Invocation;

/// <summary>
/// The observer objects a process made callable (<see cref="IGrainFactory.CreateObjectReference{T}"/>), by observer id,
/// and the runner of the calls that reach them. Every id it issues is owned by <see cref="Owner"/>. An object keeps its
/// id until it is unregistered; the registry holds it strongly until then.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="InvokeAsync"/> runs an object's calls on the thread pool, one at a time per object in arrival
/// order (as Orleans runs a local object's messages), each with the caller's request context.
/// </remarks>
public sealed class ObserverRegistry : IObjectReferenceRegistry
{
    private readonly ConcurrentDictionary<GrainId, LocalObject> _byId = new();
    private readonly ConditionalWeakTable<IGrainObserver, LocalObject> _byObject = [];
    private readonly ConcurrentDictionary<GrainMethod, GrainMethodInvoker> _invokers = new();

    /// <summary>Creates a registry whose observer ids are owned by <paramref name="owner"/>.</summary>
    public ObserverRegistry(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        Owner = owner;
    }

    /// <summary>The owner part of the ids this registry issues.</summary>
    public string Owner { get; }

    /// <summary>The methods of the interfaces objects were registered for (how a transport resolves a method key).</summary>
    public GrainMethodRegistry Methods { get; } = new();

    /// <inheritdoc />
    public GrainId Register(Type interfaceType, IGrainObserver observer)
    {
        ArgumentNullException.ThrowIfNull(interfaceType);
        ArgumentNullException.ThrowIfNull(observer);
        Methods.RegisterInterface(interfaceType);
        LocalObject local = _byObject.GetValue(observer, o => new LocalObject(o, ObserverIds.Create(Owner)));
        _byId[local.Id] = local;
        return local.Id;
    }

    /// <inheritdoc />
    public bool Unregister(IGrainObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return _byObject.TryGetValue(observer, out LocalObject? local) && _byObject.Remove(observer) && _byId.TryRemove(local.Id, out _);
    }

    /// <summary>Whether an object is registered under <paramref name="id"/>.</summary>
    public bool Contains(GrainId id) => _byId.ContainsKey(id);

    /// <summary>
    /// Runs <paramref name="request"/> on the object registered under its target with <paramref name="arguments"/> (the
    /// caller has applied its copy rule or deserialized them): on the thread pool, after the object's earlier calls, with
    /// the request's context imported. The task completes with the method's result (null for Task, ValueTask and void).
    /// </summary>
    /// <exception cref="ClientNotAvailableException">No object is registered under the target (deleted, or never created here).</exception>
    public Task<object?> InvokeAsync(GrainCallRequest request, object?[] arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!_byId.TryGetValue(request.Target, out LocalObject? local))
        {
            string owner = ObserverIds.OwnerOf(request.Target);
            return Task.FromException<object?>(new ClientNotAvailableException(string.Equals(owner, Owner, StringComparison.Ordinal)
                ? $"Observer {request.Target} was deleted (DeleteObjectReference); call {request.Method.Key} not delivered."
                : $"Observer {request.Target} belongs to '{owner}', which is not reachable from here; call {request.Method.Key} not delivered."));
        }

        return local.RunAsync(_invokers.GetOrAdd(request.Method, static m => GeneratedGrainCode.TryGetInvoker(m.Method, out Func<object, object?[], ValueTask<object?>>? generated)
            ? GrainMethodInvoker.FromGenerated(generated)
            : GrainMethodInvoker.Compile(m)), request, arguments, cancellationToken);
    }

    /// <summary>A registered object and the gate that runs its calls one at a time.</summary>
    private sealed class LocalObject(IGrainObserver target, GrainId id)
    {
        private readonly SemaphoreSlim _turn = new(1, 1);

        public GrainId Id { get; } = id;

        public async Task<object?> RunAsync(GrainMethodInvoker invoker, GrainCallRequest request, object?[] arguments, CancellationToken cancellationToken)
        {
            // Queued in call order (asynchronous waiters are served first in, first out); ForceYielding continues on the
            // thread pool, never on the caller's scheduler (a grain's turn).
            Task turn = _turn.WaitAsync(cancellationToken);
            await turn.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            try
            {
                RequestContext.Import(request.RequestContext);
                return await invoker.Invoke(target, arguments).ConfigureAwait(false);
            }
            finally
            {
                _turn.Release();
            }
        }
    }
}
