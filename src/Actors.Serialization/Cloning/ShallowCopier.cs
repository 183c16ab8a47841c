namespace Actors.Serialization.Cloning;

/// <summary>The copier of an immutable type: returns its input.</summary>
public sealed class ShallowCopier<T> : IDeepCopier<T>, IShallowCopyable
{
    /// <summary>The shared instance.</summary>
    public static readonly ShallowCopier<T> Instance = new();

    /// <inheritdoc />
    public T DeepCopy(T input, CopyContext context) => input;
}
