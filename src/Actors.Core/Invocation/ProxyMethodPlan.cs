using System.Collections.Concurrent;
using System.Reflection;

namespace Actors.Invocation;

/// <summary>Per interface method: its descriptor and a compiled converter from the invoker's result to the return type.</summary>
internal sealed class ProxyMethodPlan
{
    private static readonly ConcurrentDictionary<MethodInfo, ProxyMethodPlan> Plans = new();

    private static readonly MethodInfo ToTaskOfT = typeof(ProxyMethodPlan).GetMethod(nameof(ToTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ToValueTaskOfT = typeof(ProxyMethodPlan).GetMethod(nameof(ToValueTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    private ProxyMethodPlan(MethodInfo method)
    {
        Method = GrainMethod.For(method);
        ConvertResult = Method.ReturnKind switch
        {
            GrainMethodReturnKind.Task => static pending => ToTask(pending),
            GrainMethodReturnKind.ValueTask => static pending => ToValueTask(pending),
            GrainMethodReturnKind.TaskOfT => ToTaskOfT.MakeGenericMethod(Method.ResultType).CreateDelegate<Func<ValueTask<object?>, object>>(),
            GrainMethodReturnKind.Void => static pending => ToVoid(pending),
            _ => ToValueTaskOfT.MakeGenericMethod(Method.ResultType).CreateDelegate<Func<ValueTask<object?>, object>>(),
        };
    }

    public GrainMethod Method { get; }

    public Func<ValueTask<object?>, object> ConvertResult { get; }

    public static ProxyMethodPlan For(MethodInfo method) => Plans.GetOrAdd(method, static m => new ProxyMethodPlan(m));

    /// <summary>A void observer method: the call is one-way; a failure to send is observed, not thrown at the caller.</summary>
    private static object ToVoid(ValueTask<object?> pending)
    {
        if (!pending.IsCompleted)
        {
            _ = Observe(pending);
        }
        else if (!pending.IsCompletedSuccessfully)
        {
            _ = pending.AsTask().Exception;
        }

        return null!;

        static async Task Observe(ValueTask<object?> p)
        {
            try
            {
                await p;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One-way: nobody waits for the outcome.
            }
        }
    }

    private static Task ToTask(ValueTask<object?> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return Task.CompletedTask;
        }

        return Await(pending);

        static async Task Await(ValueTask<object?> p) => await p;
    }

    private static object ToValueTask(ValueTask<object?> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return default(ValueTask);
        }

        return new ValueTask(ToTask(pending));
    }

    private static object ToTaskOf<T>(ValueTask<object?> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return Task.FromResult((T)pending.Result!);
        }

        return Await(pending);

        static async Task<T> Await(ValueTask<object?> p) => (T)(await p)!;
    }

    private static object ToValueTaskOf<T>(ValueTask<object?> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return new ValueTask<T>((T)pending.Result!);
        }

        return new ValueTask<T>((Task<T>)ToTaskOf<T>(pending));
    }
}
