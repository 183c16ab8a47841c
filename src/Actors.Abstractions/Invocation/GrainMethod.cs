using System.Collections.Concurrent;
using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// Describes one method of a grain interface: its stable wire <see cref="Key"/>, parameter types and result type.
/// Instances are cached per <see cref="MethodInfo"/>; use <see cref="For"/>.
/// </summary>
/// <remarks>
/// The key is <see cref="StableNames.ForMethod"/>: the method's <see cref="AliasAttribute"/> when it has one, else
/// <c>Interface.MethodName(ParamType1,ParamType2)</c> with namespace-qualified type names and no assembly names or
/// versions, so it survives recompilation and version bumps and differs between overloads. It is what crosses the wire
/// instead of a CLR handle.
/// </remarks>
public sealed class GrainMethod
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethod> Cache = new();

    private GrainMethod(MethodInfo method)
    {
        Method = method;
        InterfaceType = method.DeclaringType!;
        ParameterTypes = Array.ConvertAll(method.GetParameters(), p => p.ParameterType);
        Key = StableNames.ForMethod(method);
        (ReturnKind, ResultType) = Classify(method);
        IsOneWay = ReturnKind == GrainMethodReturnKind.Void || method.IsDefined(typeof(Concurrency.OneWayAttribute), inherit: false);
        IsReadOnly = method.IsDefined(typeof(Concurrency.ReadOnlyAttribute), inherit: false);
        IsAlwaysInterleave = method.IsDefined(typeof(Concurrency.AlwaysInterleaveAttribute), inherit: false)
            || method.IsDefined(typeof(Concurrency.ReentrantAttribute), inherit: false);
        if (IsOneWay && ResultType != typeof(void))
        {
            throw new ArgumentException(
                $"Grain method '{InterfaceType.FullName}.{method.Name}' is [OneWay] but returns '{method.ReturnType}'; a one-way method returns Task or ValueTask (its caller gets no result).",
                nameof(method));
        }
    }

    /// <summary>The interface that declares the method.</summary>
    public Type InterfaceType { get; }

    /// <summary>The interface method.</summary>
    public MethodInfo Method { get; }

    /// <summary>The stable wire key.</summary>
    public string Key { get; }

    /// <summary>The parameter types in declaration order.</summary>
    public IReadOnlyList<Type> ParameterTypes { get; }

    /// <summary>The awaited result type (<c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>), or <see cref="void"/>.</summary>
    public Type ResultType { get; }

    /// <summary>How the method returns.</summary>
    public GrainMethodReturnKind ReturnKind { get; }

    /// <summary>The method is <see cref="Concurrency.OneWayAttribute"/>, or a <c>void</c> observer method: the caller does not wait for the callee.</summary>
    public bool IsOneWay { get; }

    /// <summary>The method is <see cref="Concurrency.ReadOnlyAttribute"/>: read-only requests may interleave with each other.</summary>
    public bool IsReadOnly { get; }

    /// <summary>The interface method is <see cref="Concurrency.AlwaysInterleaveAttribute"/> (or <see cref="Concurrency.ReentrantAttribute"/>): its requests start even while others run.</summary>
    public bool IsAlwaysInterleave { get; }

    /// <summary>Returns the cached descriptor of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">The method is not declared on an interface or does not return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</exception>
    public static GrainMethod For(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Cache.GetOrAdd(method, static m => new GrainMethod(m));
    }

    /// <summary>The descriptor of this generic method definition closed with <paramref name="typeArguments"/> (called by generated references).</summary>
    /// <exception cref="InvalidOperationException">The method is not a generic method definition.</exception>
    /// <exception cref="ArgumentException">The type arguments violate the method's constraints.</exception>
    public GrainMethod MakeGenericMethod(params Type[] typeArguments)
    {
        ArgumentNullException.ThrowIfNull(typeArguments);
        return For(Method.MakeGenericMethod(typeArguments));
    }

    /// <inheritdoc />
    public override string ToString() => Key;

    private static (GrainMethodReturnKind Kind, Type Result) Classify(MethodInfo method)
    {
        if (method.DeclaringType is not { IsInterface: true })
        {
            throw new ArgumentException($"Grain method '{method.Name}' must be declared on an interface.", nameof(method));
        }

        Type returnType = method.ReturnType;
        if (returnType == typeof(void) && typeof(IGrainObserver).IsAssignableFrom(method.DeclaringType))
        {
            return (GrainMethodReturnKind.Void, typeof(void));
        }

        if (returnType == typeof(Task))
        {
            return (GrainMethodReturnKind.Task, typeof(void));
        }

        if (returnType == typeof(ValueTask))
        {
            return (GrainMethodReturnKind.ValueTask, typeof(void));
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return (GrainMethodReturnKind.TaskOfT, returnType.GetGenericArguments()[0]);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return (GrainMethodReturnKind.ValueTaskOfT, returnType.GetGenericArguments()[0]);
        }

        throw new ArgumentException(
            $"Grain method '{method.DeclaringType.FullName}.{method.Name}' returns '{returnType}'; grain methods must return Task, Task<T>, ValueTask or ValueTask<T> (observer methods may also return void).",
            nameof(method));
    }
}
