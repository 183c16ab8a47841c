using Orleans.Serialization.Serializers;

namespace Actors.Orleans.Storage;

/// <summary>The value a grain state has when nothing is stored, as Orleans's own providers give it.</summary>
internal static class GrainStates
{
    /// <summary>
    /// A new <typeparamref name="T"/> from Orleans's activator, as Orleans's providers create it (its parameterless
    /// constructor, else an object with every field at its default, constructor not run: a positional record is never
    /// null); default for a string, an array, an interface or an abstract class, which have no such object.
    /// </summary>
    public static T CreateDefault<T>(IActivatorProvider activators)
    {
        Type type = typeof(T);
        if (type.IsValueType || type.GetConstructor(Type.EmptyTypes) is not null)
        {
            return Activator.CreateInstance<T>();
        }

        if (type.IsAbstract || type.IsInterface || type.IsArray || type == typeof(string))
        {
            return default!;
        }

        return activators.GetActivator<T>().Create();
    }
}
