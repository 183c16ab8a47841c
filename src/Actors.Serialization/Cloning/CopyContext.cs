using System.Diagnostics.CodeAnalysis;

namespace Actors.Serialization.Cloning;

/// <summary>
/// The state of one deep copy: originals already copied (so shared references and cycles are preserved in the copy)
/// and the codec provider. Pooled by <see cref="DeepCopier"/>.
/// </summary>
/// <remarks>Not thread-safe; used by one copy at a time.</remarks>
public sealed class CopyContext
{
    private readonly Dictionary<object, object> _copies = new(ReferenceEqualityComparer.Instance);
    private int _depth;

    internal CopyContext(CodecProvider provider)
    {
        Provider = provider;
    }

    /// <summary>The codec provider.</summary>
    public ICodecProvider CodecProvider => Provider;

    internal CodecProvider Provider { get; }

    /// <summary>Returns the copy already made of <paramref name="original"/> in this copy operation, if any.</summary>
    public bool TryGetCopy<T>(object original, [NotNullWhen(true)] out T? copy)
        where T : class
    {
        if (_copies.Count != 0 && _copies.TryGetValue(original, out object? existing))
        {
            copy = (T)existing;
            return true;
        }

        copy = null;
        return false;
    }

    /// <summary>Remembers the copy of <paramref name="original"/>; call it before copying the original's fields so cycles resolve.</summary>
    public void RecordCopy(object original, object copy) => _copies[original] = copy;

    /// <summary>Copies <paramref name="value"/> with the copier of its runtime type (for a member whose declared type is a base type, an interface or object).</summary>
    /// <exception cref="CodecNotFoundException">No copier is known for the runtime type.</exception>
    public T DeepCopyRuntimeType<T>(T value)
    {
        if (value is null)
        {
            return value;
        }

        return (T)Provider.GetDeepCopier(value.GetType()).DeepCopy(value, this)!;
    }

    /// <summary>Counts one level of nesting of a copy that records its result only after copying its contents.</summary>
    internal void EnterCopy()
    {
        if (++_depth > Provider.MaxDepth)
        {
            throw new MaxDepthExceededException(Provider.MaxDepth);
        }
    }

    internal void ExitCopy() => _depth--;

    internal void Reset()
    {
        _depth = 0;
        if (_copies.Count != 0)
        {
            _copies.Clear();
        }
    }
}
