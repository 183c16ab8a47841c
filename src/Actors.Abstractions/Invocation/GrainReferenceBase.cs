using System.ComponentModel;

namespace Actors.Invocation;

/// <summary>
/// The base of the grain references the code generator writes for each grain interface (replacing runtime proxies):
/// every interface method becomes a <see cref="GrainCallRequest"/> handed to the side's <see cref="IGrainCallInvoker"/>
/// (the silo's runtime, or a client's gateway connection). Equality is by grain id and interface, as for any reference.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainReferenceBase : IGrainReference
{
    private readonly IGrainCallInvoker _invoker;

    /// <summary>Creates the reference.</summary>
    protected GrainReferenceBase(IGrainCallInvoker invoker, GrainId grainId, Type interfaceType)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(interfaceType);
        _invoker = invoker;
        GrainId = grainId;
        InterfaceType = interfaceType;
    }

    /// <inheritdoc />
    public GrainId GrainId { get; }

    /// <inheritdoc />
    public Type InterfaceType { get; }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IGrainReference other && other.GrainId == GrainId && other.InterfaceType == InterfaceType;

    /// <inheritdoc />
    public override int GetHashCode() => GrainId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"GrainReference({InterfaceType.Name} {GrainId})";

    /// <summary>Calls a method returning <see cref="Task"/>.</summary>
    protected Task InvokeTask(GrainMethod method, object?[] arguments)
    {
        ValueTask<object?> pending = Send(method, arguments);
        return pending.IsCompletedSuccessfully ? Task.CompletedTask : pending.AsTask();
    }

    /// <summary>Calls a method returning <see cref="ValueTask"/>.</summary>
    protected ValueTask InvokeValueTask(GrainMethod method, object?[] arguments)
    {
        ValueTask<object?> pending = Send(method, arguments);
        return pending.IsCompletedSuccessfully ? default : new ValueTask(pending.AsTask());
    }

    /// <summary>Calls a method returning <see cref="Task{TResult}"/>.</summary>
    protected Task<T> InvokeTaskOf<T>(GrainMethod method, object?[] arguments)
    {
        ValueTask<object?> pending = Send(method, arguments);
        return pending.IsCompletedSuccessfully ? Task.FromResult((T)pending.Result!) : Await(pending);

        static async Task<T> Await(ValueTask<object?> p) => (T)(await p)!;
    }

    /// <summary>Calls a method returning <see cref="ValueTask{TResult}"/>.</summary>
    protected ValueTask<T> InvokeValueTaskOf<T>(GrainMethod method, object?[] arguments)
    {
        ValueTask<object?> pending = Send(method, arguments);
        return pending.IsCompletedSuccessfully ? new ValueTask<T>((T)pending.Result!) : new ValueTask<T>(Await(pending));

        static async Task<T> Await(ValueTask<object?> p) => (T)(await p)!;
    }

    /// <summary>
    /// Calls a <c>void</c> observer method: one-way, the caller does not wait; a failure reported after the call was
    /// handed to the invoker is observed here, not thrown at the caller (the receiving side logs it).
    /// </summary>
    protected void InvokeOneWay(GrainMethod method, object?[] arguments)
    {
        ValueTask<object?> pending = Send(method, arguments);
        if (!pending.IsCompleted)
        {
            _ = Observe(pending);
        }
        else if (!pending.IsCompletedSuccessfully)
        {
            _ = pending.AsTask().Exception;
        }

        static async Task Observe(ValueTask<object?> p)
        {
            try
            {
                await p.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One-way: nobody waits for the outcome.
            }
        }
    }

    /// <remarks>
    /// A call made from a grain's turn names that grain as its source here, as the silo's invoker would, so the invoker
    /// does not copy the request just to add it (one request object less per grain-to-grain call).
    /// </remarks>
    private ValueTask<object?> Send(GrainMethod method, object?[] arguments)
        => _invoker.InvokeAsync(new GrainCallRequest(GrainId, method, arguments) { SourceId = (TaskScheduler.Current as Runtime.IGrainContext)?.GrainId });
}
