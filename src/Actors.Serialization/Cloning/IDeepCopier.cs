namespace Actors.Serialization.Cloning;

/// <summary>Deep-copies values of one type (untyped view; see <see cref="IDeepCopier{T}"/>).</summary>
public interface IDeepCopier
{
    /// <summary>Returns a copy of <paramref name="input"/> that shares no mutable state with it.</summary>
    object? DeepCopy(object? input, CopyContext context);
}

/// <summary>
/// Deep-copies values of <typeparamref name="T"/>. Immutable values may be returned as they are. Implementations are
/// registered with <see cref="RegisterCopierAttribute"/> or generated.
/// </summary>
/// <remarks>Implementations must be thread-safe (one instance serves all calls).</remarks>
public interface IDeepCopier<T> : IDeepCopier
{
    /// <summary>Returns a copy of <paramref name="input"/> that shares no mutable state with it (the same instance when it is immutable).</summary>
    T DeepCopy(T input, CopyContext context);

    object? IDeepCopier.DeepCopy(object? input, CopyContext context) => DeepCopy((T)input!, context);
}

/// <summary>Copies the fields one class declares (and its bases) from one instance into another (one layer of an inheritance chain).</summary>
public interface IBaseCopier<in T>
    where T : class
{
    /// <summary>Copies the fields declared by <typeparamref name="T"/> and its bases from <paramref name="input"/> into <paramref name="output"/>.</summary>
    void DeepCopy(T input, T output, CopyContext context);
}
