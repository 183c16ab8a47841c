using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Actors.Journaling;

/// <summary>
/// The default event application of <see cref="JournaledGrain{TState, TEvent}"/>: the state's public instance
/// <c>Apply</c> method that best fits the event's runtime type, found by convention as Orleans' <c>dynamic</c> call
/// would bind it, but without <c>dynamic</c>: one compiled delegate per event type, cached for the state type.
/// </summary>
/// <remarks>
/// Candidates are public instance methods named <c>Apply</c> (declared or inherited, generic ones excluded) with one
/// parameter that accepts the event. The most specific one wins (its parameter type converts to every other
/// candidate's); two candidates that are equally specific are ambiguous, as they would be for C#. A state that has no
/// such method but implements <see cref="IApply{TEvent}"/> explicitly is applied through the interface. Thread-safe.
/// </remarks>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TEvent">The grain's event base type.</typeparam>
internal static class ApplyConvention<TState, TEvent>
    where TState : class
    where TEvent : class
{
    private static readonly ConcurrentDictionary<Type, Action<TState, TEvent>> Appliers = new();

    /// <summary>Applies <paramref name="event"/> to <paramref name="state"/>.</summary>
    /// <exception cref="NotSupportedException">The state has no applicable Apply method, or two are ambiguous; the message says which.</exception>
    public static void Apply(TState state, TEvent @event, Type grainClass)
    {
        Type eventType = @event.GetType();
        if (!Appliers.TryGetValue(eventType, out Action<TState, TEvent>? applier))
        {
            applier = Appliers.GetOrAdd(eventType, Build(typeof(TState), eventType, grainClass));
        }

        applier(state, @event);
    }

    private static Action<TState, TEvent> Build(Type stateType, Type eventType, Type grainClass)
    {
        MethodInfo[] candidates = stateType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == "Apply" && !m.IsGenericMethodDefinition && m.GetParameters() is [{ ParameterType: { IsByRef: false } p }] && p.IsAssignableFrom(eventType))
            .ToArray();
        MethodInfo[] best = candidates
            .Where(m => candidates.All(other => other.GetParameters()[0].ParameterType.IsAssignableFrom(m.GetParameters()[0].ParameterType)))
            .ToArray();
        if (best.Length > 1)
        {
            // The same parameter type declared along the hierarchy: the most derived declaration overrides the rest.
            best = best.Where(m => best.All(other => other == m || m.DeclaringType!.IsSubclassOf(other.DeclaringType!))).ToArray();
        }

        if (best.Length == 1)
        {
            ParameterExpression state = Expression.Parameter(typeof(TState), "state");
            ParameterExpression @event = Expression.Parameter(typeof(TEvent), "event");
            MethodInfo method = best[0];
            Expression call = Expression.Call(
                Expression.Convert(state, method.DeclaringType!),
                method,
                Expression.Convert(@event, method.GetParameters()[0].ParameterType));
            return Expression.Lambda<Action<TState, TEvent>>(call, state, @event).Compile();
        }

        if (candidates.Length == 0 && typeof(IApply<TEvent>).IsAssignableFrom(stateType))
        {
            return static (s, e) => ((IApply<TEvent>)s).Apply(e);
        }

        string problem = candidates.Length == 0
            ? $"'{stateType.FullName}' has no public method 'Apply({eventType.Name})' (or Apply of a base type or interface of it)"
            : $"'{stateType.FullName}' has {candidates.Length} Apply methods that accept '{eventType.FullName}' and none is more specific: {string.Join(", ", candidates.Select(m => $"Apply({m.GetParameters()[0].ParameterType.Name})"))}";
        string message = $"Grain '{grainClass.FullName}' cannot apply event '{eventType.FullName}': {problem}. Add a public 'void Apply({eventType.Name} e)' to the state, implement IApply<{typeof(TEvent).Name}>, or override TransitionState.";
        return (_, _) => throw new NotSupportedException(message);
    }
}
