using System.Linq.Expressions;
using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// Calls one interface method on a grain instance (or an observer object) through a compiled expression (no
/// reflection per call) and returns its awaited result boxed; a <c>void</c> observer method completes when it returns.
/// </summary>
/// <remarks>Thread-safe; compile once per method and reuse. Shared by the silo (grains, local objects) and clients (their observers).</remarks>
public sealed class GrainMethodInvoker
{
    private static readonly MethodInfo FromTaskMethod = Helper(nameof(FromTask));
    private static readonly MethodInfo FromValueTaskMethod = Helper(nameof(FromValueTask));
    private static readonly MethodInfo FromTaskOfTMethod = Helper(nameof(FromTaskOf));
    private static readonly MethodInfo FromValueTaskOfTMethod = Helper(nameof(FromValueTaskOf));

    private readonly Func<object, object?[], ValueTask<object?>> _invoke;

    private GrainMethodInvoker(Func<object, object?[], ValueTask<object?>> invoke)
    {
        _invoke = invoke;
    }

    /// <summary>Compiles the invoker of <paramref name="method"/>.</summary>
    public static GrainMethodInvoker Compile(GrainMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        ParameterExpression grain = Expression.Parameter(typeof(object), "grain");
        ParameterExpression args = Expression.Parameter(typeof(object?[]), "args");
        Expression[] arguments = method.ParameterTypes
            .Select((type, i) => (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), type))
            .ToArray();
        Expression call = Expression.Call(Expression.Convert(grain, method.InterfaceType), method.Method, arguments);
        Expression wrapped = method.ReturnKind switch
        {
            GrainMethodReturnKind.Void => Expression.Block(call, Expression.Default(typeof(ValueTask<object?>))),
            GrainMethodReturnKind.Task => Expression.Call(FromTaskMethod, call),
            GrainMethodReturnKind.ValueTask => Expression.Call(FromValueTaskMethod, call),
            GrainMethodReturnKind.TaskOfT => Expression.Call(FromTaskOfTMethod.MakeGenericMethod(method.ResultType), call),
            _ => Expression.Call(FromValueTaskOfTMethod.MakeGenericMethod(method.ResultType), call),
        };
        return new GrainMethodInvoker(Expression.Lambda<Func<object, object?[], ValueTask<object?>>>(wrapped, grain, args).Compile());
    }

    /// <summary>Wraps an invoker written by the code generator (no expression compiled).</summary>
    public static GrainMethodInvoker FromGenerated(Func<object, object?[], ValueTask<object?>> invoke) => new(invoke);

    /// <summary>Calls the method on <paramref name="grain"/> (which implements its interface) with <paramref name="arguments"/>.</summary>
    public ValueTask<object?> Invoke(object grain, object?[] arguments) => _invoke(grain, arguments);

    private static MethodInfo Helper(string name) => typeof(GrainMethodInvoker).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    private static ValueTask<object?> FromTask(Task task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return default;
        }

        return Await(task);

        static async ValueTask<object?> Await(Task t)
        {
            await t;
            return null;
        }
    }

    private static ValueTask<object?> FromValueTask(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return default;
        }

        return Await(task);

        static async ValueTask<object?> Await(ValueTask t)
        {
            await t;
            return null;
        }
    }

    private static ValueTask<object?> FromTaskOf<T>(Task<T> task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return new ValueTask<object?>(task.Result);
        }

        return Await(task);

        static async ValueTask<object?> Await(Task<T> t) => await t;
    }

    private static ValueTask<object?> FromValueTaskOf<T>(ValueTask<T> task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return new ValueTask<object?>(task.Result);
        }

        return Await(task);

        static async ValueTask<object?> Await(ValueTask<T> t) => await t;
    }
}
