namespace Actors.Storage;

/// <summary>The default <see cref="IGrainState{T}"/>.</summary>
/// <typeparam name="T">The state type.</typeparam>
public sealed class GrainState<T> : IGrainState<T>
{
    /// <summary>Creates a state holding <see cref="CreateDefault"/>.</summary>
    public GrainState()
    {
        State = CreateDefault();
    }

    /// <inheritdoc />
    public T State { get; set; }

    /// <inheritdoc />
    public string? ETag { get; set; }

    /// <inheritdoc />
    public bool RecordExists { get; set; }

    /// <inheritdoc />
    public Type StateType => typeof(T);

    /// <inheritdoc />
    public object? StateObject => State;

    /// <summary>A new <typeparamref name="T"/> from its parameterless constructor, or <c>default</c> when it has none.</summary>
    public static T CreateDefault()
    {
        Type type = typeof(T);
        if (type.IsValueType || (!type.IsAbstract && !type.IsInterface && type.GetConstructor(Type.EmptyTypes) is not null))
        {
            return Activator.CreateInstance<T>();
        }

        return default!;
    }
}
