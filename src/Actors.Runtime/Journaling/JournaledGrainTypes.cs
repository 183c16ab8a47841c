namespace Actors.Journaling;

/// <summary>Recognizes journaled grain classes.</summary>
internal static class JournaledGrainTypes
{
    public static bool IsJournaled(Type grainClass)
    {
        for (Type? type = grainClass; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(JournaledGrain<,>))
            {
                return true;
            }
        }

        return false;
    }
}
