namespace Actors.Orleans.Storage;

/// <summary>The value a grain state has when nothing is stored, as Orleans's own providers give it.</summary>
internal static class GrainStates
{
    /// <summary>A new <typeparamref name="T"/> when it has a parameterless constructor (or is a value type), else default.</summary>
    public static T CreateDefault<T>() =>
        typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance<T>() : default!;
}
