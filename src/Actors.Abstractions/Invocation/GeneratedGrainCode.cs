using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Actors.Invocation;

/// <summary>
/// Where the code generator's grain references and method invokers are registered (by a module initializer in each
/// assembly that declares grain interfaces and has the generator: <c>&lt;ActorsCodeGenerator&gt;true&lt;/ActorsCodeGenerator&gt;</c>)
/// and found: the grain factories build references from here, the silo invokes grain methods from here. An interface
/// with methods that the generator did not process (its assembly does not use the generator, or a member cannot be
/// forwarded) is refused with <see cref="GrainInterfaceNotGeneratedException"/>
/// (<see cref="EnsureGenerated"/>), at silo start for registered grain classes and by the grain factories.
/// </summary>
/// <remarks>Thread-safe. Registration runs the declaring module's initializer on first lookup, so no scan is needed.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedGrainCode
{
    private static readonly ConcurrentDictionary<Type, Func<IGrainCallInvoker, GrainId, Runtime.IAddressable>> References = new();
    private static readonly ConcurrentDictionary<MethodInfo, Func<object, object?[], ValueTask<object?>>> Invokers = new();
    private static readonly ConcurrentDictionary<Type, Lazy<bool>> PendingInvokers = new();
    private static readonly ConcurrentDictionary<Module, bool> InitializedModules = new();
    private static readonly ConcurrentDictionary<Module, bool> GeneratedModules = new();
    private static readonly ConcurrentDictionary<Type, Type> GenericReferences = new();
    private static readonly ConcurrentDictionary<MethodInfo, MethodInfo> GenericMethodInvokers = new();
    private static readonly ConcurrentDictionary<Type, Lazy<bool>> ClosedGenerics = new();

    /// <summary>
    /// Registers the generated reference of <paramref name="grainInterface"/> and the invokers of the methods it declares
    /// (built on first use). Called by generated code.
    /// </summary>
    public static void AddReference(
        Type grainInterface,
        Func<IGrainCallInvoker, GrainId, Runtime.IAddressable> create,
        Func<(MethodInfo Method, Func<object, object?[], ValueTask<object?>> Invoke)[]> invokers)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(invokers);
        References[grainInterface] = create;
        GeneratedModules[grainInterface.Module] = true;
        PendingInvokers[grainInterface] = new Lazy<bool>(() =>
        {
            foreach ((MethodInfo method, Func<object, object?[], ValueTask<object?>> invoke) in invokers())
            {
                Invokers[method] = invoke;
            }

            return true;
        });
    }

    /// <summary>
    /// Registers the generated reference class of a generic grain interface (both generic type definitions). A closed
    /// interface (<c>IFoo&lt;int&gt;</c>) gets its reference and invokers on first use, by closing the class with the
    /// same type arguments and running its static <c>Register</c> method. Called by generated code.
    /// </summary>
    public static void AddGenericReference(Type genericInterface, Type genericReferenceClass)
    {
        ArgumentNullException.ThrowIfNull(genericInterface);
        ArgumentNullException.ThrowIfNull(genericReferenceClass);
        if (!genericInterface.IsGenericTypeDefinition || !genericReferenceClass.IsGenericTypeDefinition
            || genericInterface.GetGenericArguments().Length != genericReferenceClass.GetGenericArguments().Length)
        {
            throw new ArgumentException($"'{genericInterface}' and '{genericReferenceClass}' must be generic type definitions of the same arity.", nameof(genericReferenceClass));
        }

        GenericReferences[genericInterface] = genericReferenceClass;
        GeneratedModules[genericInterface.Module] = true;
    }

    /// <summary>The <see cref="GrainMethod"/> of an interface method found by name and parameter types (called by generated code once per method).</summary>
    /// <exception cref="MissingMethodException">The interface has no such method (the generated code is stale).</exception>
    public static GrainMethod Method(Type grainInterface, string name, Type[] parameterTypes) =>
        GrainMethod.For(grainInterface.GetMethod(name, 0, BindingFlags.Public | BindingFlags.Instance, null, parameterTypes, null)
            ?? throw new MissingMethodException(grainInterface.FullName, name));

    /// <summary>The <see cref="GrainMethod"/> of a generic interface method found by name, arity and parameter types (method type parameters as <see cref="Type.MakeGenericMethodParameter"/>).</summary>
    /// <exception cref="MissingMethodException">The interface has no such method (the generated code is stale).</exception>
    public static GrainMethod Method(Type grainInterface, string name, int genericArity, Type[] parameterTypes) =>
        GrainMethod.For(grainInterface.GetMethod(name, genericArity, BindingFlags.Public | BindingFlags.Instance, null, parameterTypes, null)
            ?? throw new MissingMethodException(grainInterface.FullName, name));

    /// <summary>
    /// Registers the generated invoker of a generic interface method: <paramref name="genericInvoker"/> is a static
    /// generic method of the reference class with the method's type parameters, closed per instantiation. Called by
    /// generated code when the interface's invokers are first needed.
    /// </summary>
    public static void AddGenericMethodInvoker(MethodInfo definition, MethodInfo genericInvoker)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(genericInvoker);
        GenericMethodInvokers[definition] = genericInvoker;
    }

    /// <summary>Creates the generated reference of <paramref name="grainInterface"/>; false when the generator did not process it.</summary>
    public static bool TryCreateReference(Type grainInterface, IGrainCallInvoker invoker, GrainId grainId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IGrain? reference)
    {
        reference = TryCreate(grainInterface, invoker, grainId, out Runtime.IAddressable? created) ? created as IGrain : null;
        return reference is not null;
    }

    /// <summary>Creates the generated reference of observer interface <paramref name="observerInterface"/>; false when the generator did not process it.</summary>
    public static bool TryCreateObserverReference(Type observerInterface, IGrainCallInvoker invoker, GrainId observerId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IGrainObserver? reference)
    {
        reference = TryCreate(observerInterface, invoker, observerId, out Runtime.IAddressable? created) ? created as IGrainObserver : null;
        return reference is not null;
    }

    private static bool TryCreate(Type grainInterface, IGrainCallInvoker invoker, GrainId grainId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Runtime.IAddressable? reference)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        if (References.TryGetValue(grainInterface, out Func<IGrainCallInvoker, GrainId, Runtime.IAddressable>? create)
            || ((Initialize(grainInterface.Module) || CloseGeneric(grainInterface)) && References.TryGetValue(grainInterface, out create)))
        {
            reference = create(invoker, grainId);
            return true;
        }

        reference = null;
        return false;
    }

    /// <summary>The generated invoker of an interface method; false when the generator did not process its interface.</summary>
    public static bool TryGetInvoker(MethodInfo method, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Func<object, object?[], ValueTask<object?>>? invoke)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (Invokers.TryGetValue(method, out invoke))
        {
            return true;
        }

        Type? declaring = method.DeclaringType;
        if (declaring is null)
        {
            return false;
        }

        if (!PendingInvokers.TryGetValue(declaring, out Lazy<bool>? pending))
        {
            Initialize(declaring.Module);
            CloseGeneric(declaring);
            if (!PendingInvokers.TryGetValue(declaring, out pending))
            {
                return false;
            }
        }

        _ = pending.Value;
        return Invokers.TryGetValue(method, out invoke) || TryCloseGenericMethodInvoker(method, out invoke);
    }

    // The generated invoker of an instantiation of a generic method: its generic invoker closed the same way.
    private static bool TryCloseGenericMethodInvoker(MethodInfo method, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Func<object, object?[], ValueTask<object?>>? invoke)
    {
        invoke = null;
        if (!method.IsConstructedGenericMethod || !GenericMethodInvokers.TryGetValue(method.GetGenericMethodDefinition(), out MethodInfo? generic))
        {
            return false;
        }

        invoke = Invokers.GetOrAdd(method, static (m, g) =>
            g.MakeGenericMethod(m.GetGenericArguments()).CreateDelegate<Func<object, object?[], ValueTask<object?>>>(), generic);
        return true;
    }

    /// <summary>Whether the generator processed <paramref name="grainInterface"/>.</summary>
    /// <remarks>
    /// A generic interface counts as processed when its generic definition has a generated reference: a closed one
    /// (<c>IFoo&lt;int&gt;</c>), or one still naming a grain class's type parameters (<c>IFoo&lt;T&gt;</c> implemented
    /// by a generic grain class), which is closed when a call names its type arguments.
    /// </remarks>
    public static bool HasReference(Type grainInterface)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        if (References.ContainsKey(grainInterface) || (Initialize(grainInterface.Module) && References.ContainsKey(grainInterface)))
        {
            return true;
        }

        return grainInterface.IsGenericType && GenericReferences.ContainsKey(grainInterface.GetGenericTypeDefinition());
    }

    /// <summary>
    /// Throws unless <paramref name="grainInterface"/> can be called through a generated reference: the generator
    /// processed it, or it declares no methods at all (a key marker such as <see cref="IGrainWithStringKey"/>).
    /// </summary>
    /// <exception cref="GrainInterfaceNotGeneratedException">The interface has methods and no generated reference; the message says what to do.</exception>
    public static void EnsureGenerated(Type grainInterface)
    {
        if (MissingReference(grainInterface) is { } missing)
        {
            throw missing;
        }
    }

    /// <summary>The error <see cref="EnsureGenerated"/> would throw for <paramref name="grainInterface"/>, or null when it can be called.</summary>
    public static GrainInterfaceNotGeneratedException? MissingReference(Type grainInterface)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        return HasReference(grainInterface) || !HasMembers(grainInterface)
            ? null
            : new GrainInterfaceNotGeneratedException(grainInterface, GeneratedModules.ContainsKey(grainInterface.Module));
    }

    /// <summary>Runs a <c>void</c> (one-way observer) method for a generated invoker; the result is empty.</summary>
    public static ValueTask<object?> FromOneWay(Action call)
    {
        ArgumentNullException.ThrowIfNull(call);
        call();
        return default;
    }

    /// <summary>Adapts a method's <see cref="Task"/> to the invoker's result (called by generated invokers).</summary>
    public static ValueTask<object?> FromTask(Task task)
    {
        return task.IsCompletedSuccessfully ? default : Await(task);

        static async ValueTask<object?> Await(Task t)
        {
            await t;
            return null;
        }
    }

    /// <summary>Adapts a method's <see cref="ValueTask"/> to the invoker's result (called by generated invokers).</summary>
    public static ValueTask<object?> FromValueTask(ValueTask task) => task.IsCompletedSuccessfully ? default : FromTask(task.AsTask());

    /// <summary>Adapts a method's <see cref="Task{TResult}"/> to the invoker's result (called by generated invokers).</summary>
    public static ValueTask<object?> FromTaskOf<T>(Task<T> task)
    {
        return task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : Await(task);

        static async ValueTask<object?> Await(Task<T> t) => await t;
    }

    /// <summary>Adapts a method's <see cref="ValueTask{TResult}"/> to the invoker's result (called by generated invokers).</summary>
    public static ValueTask<object?> FromValueTaskOf<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : FromTaskOf(task.AsTask());

    private static bool HasMembers(Type grainInterface) =>
        new[] { grainInterface }.Concat(grainInterface.GetInterfaces())
            .Any(i => i.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly).Length != 0);

    // Registers the generated reference of a closed generic interface by closing its generic reference class; true when
    // it is registered now (false: not a closed generic interface, or its definition has no generated reference).
    private static bool CloseGeneric(Type grainInterface)
    {
        if (!grainInterface.IsConstructedGenericType || grainInterface.ContainsGenericParameters)
        {
            return false;
        }

        Type definition = grainInterface.GetGenericTypeDefinition();
        Initialize(definition.Module);
        if (!GenericReferences.TryGetValue(definition, out Type? referenceClass))
        {
            return false;
        }

        return ClosedGenerics.GetOrAdd(grainInterface, static (closed, open) => new Lazy<bool>(() =>
        {
            Type reference = open.MakeGenericType(closed.GenericTypeArguments);
            MethodInfo register = reference.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)
                ?? throw new MissingMethodException(reference.FullName, "Register");
            register.Invoke(null, null);
            return true;
        }), referenceClass).Value;
    }

    // Runs the module's initializer (where generated registrations live) once; true when it had not run before.
    private static bool Initialize(Module module)
    {
        if (!InitializedModules.TryAdd(module, true))
        {
            return false;
        }

        RuntimeHelpers.RunModuleConstructor(module.ModuleHandle);
        return true;
    }
}
