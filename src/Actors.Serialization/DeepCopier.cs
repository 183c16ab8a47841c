using Actors.Serialization.Cloning;

namespace Actors.Serialization;

/// <summary>
/// Deep-copies values with the generated and built-in copiers: immutable values (see <see cref="ImmutableAttribute"/>)
/// are shared, everything else is copied with shared references and cycles preserved.
/// </summary>
/// <remarks>Thread-safe; contexts are pooled per thread. A type without a copier fails with <see cref="CodecNotFoundException"/>.</remarks>
public sealed class DeepCopier
{
    [ThreadStatic]
    private static CopyContext? _threadContext;

    /// <summary>Creates a copier over <paramref name="provider"/>.</summary>
    public DeepCopier(CodecProvider provider)
    {
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
    }

    /// <summary>The codec provider.</summary>
    public CodecProvider Provider { get; }

    /// <summary>Returns a deep copy of <paramref name="value"/> (the value itself when its type is immutable).</summary>
    public T Copy<T>(T value)
    {
        if (value is null)
        {
            return value;
        }

        CopyContext context = RentContext();
        try
        {
            return Provider.GetDeepCopier<T>().DeepCopy(value, context);
        }
        finally
        {
            context.Reset();
            _threadContext = context;
        }
    }

    /// <summary>Returns a deep copy of <paramref name="value"/>, copied by its runtime type.</summary>
    public object? Copy(object? value)
    {
        if (value is null)
        {
            return null;
        }

        CopyContext context = RentContext();
        try
        {
            return Provider.GetDeepCopier(value.GetType()).DeepCopy(value, context);
        }
        finally
        {
            context.Reset();
            _threadContext = context;
        }
    }

    /// <summary>Whether values of <paramref name="type"/> are shared rather than copied.</summary>
    public bool IsShallowCopyable(Type type) => Provider.GetDeepCopier(type) is IShallowCopyable;

    private CopyContext RentContext()
    {
        CopyContext? context = _threadContext;
        if (context is not null && context.Provider == Provider)
        {
            _threadContext = null;
            return context;
        }

        return new CopyContext(Provider);
    }
}
