using Actors.Journaling;

namespace Actors.Runtime;

/// <summary>Recognizes grain classes by the generic base class they derive from.</summary>
internal static class GrainBaseTypes
{
    /// <summary>Whether <paramref name="grainClass"/> derives from <see cref="JournaledGrain{TState, TEvent}"/>.</summary>
    public static bool IsJournaled(Type grainClass) => DerivesFrom(grainClass, typeof(JournaledGrain<,>));

    /// <summary>Whether <paramref name="grainClass"/> derives from <see cref="Grain{TState}"/>.</summary>
    public static bool IsStateful(Type grainClass) => DerivesFrom(grainClass, typeof(Grain<>));

    private static bool DerivesFrom(Type grainClass, Type openGeneric)
    {
        for (Type? type = grainClass; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == openGeneric)
            {
                return true;
            }
        }

        return false;
    }
}
