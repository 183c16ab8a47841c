using System.Reflection;
using Actors.Concurrency;
using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>Reads a grain class's scheduling attributes at registration, failing silo start with a clear message when one is malformed.</summary>
internal static class SchedulingRules
{
    /// <summary>The class's <see cref="MayInterleaveAttribute"/> predicate as a delegate, or null.</summary>
    /// <exception cref="ArgumentException">The named method is missing or is not <c>public static bool Name(IInvokable)</c>.</exception>
    public static Func<IInvokable, bool>? MayInterleavePredicate(Type grainClass)
    {
        if (grainClass.GetCustomAttribute<MayInterleaveAttribute>(inherit: true) is not { } attribute)
        {
            return null;
        }

        MethodInfo? method = grainClass.GetMethod(attribute.CallbackMethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(IInvokable)]);
        if (method is null || method.ReturnType != typeof(bool))
        {
            throw new ArgumentException(
                $"Grain class '{grainClass.FullName}' has [MayInterleave(\"{attribute.CallbackMethodName}\")], but has no static method 'bool {attribute.CallbackMethodName}(IInvokable)'.",
                nameof(grainClass));
        }

        return method.CreateDelegate<Func<IInvokable, bool>>();
    }
}
