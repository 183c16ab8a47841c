using System.Collections.Frozen;
using Orleans.Serialization;

namespace Actors.Orleans;

/// <summary>
/// Names the provider's and the engine's exception types on the wire by their full name without an assembly
/// (<c>Actors.Orleans.WriteAheadLogOperationException</c>), and reads those names back on a silo.
/// </summary>
/// <remarks>
/// Why: Orleans's exception codec writes an exception's type name and, on the receiving side, falls back to its
/// <c>UnavailableExceptionFallbackException</c> (naming the type, with the message and data) when the type cannot be
/// found; but for an assembly-qualified name whose assembly is missing, its type resolver throws a
/// <see cref="TypeLoadException"/> instead (Orleans 10.4.2, <c>CachedTypeResolver.ResolveAssembly</c>), and the whole
/// response is lost. A name without an assembly is looked up among the loaded assemblies only, so a client without the
/// provider gets the fallback, and a silo (this converter) gets the type. Only these assemblies' exception types are
/// renamed; every other type is left to Orleans.
/// </remarks>
internal sealed class ProviderExceptionTypeConverter : ITypeConverter
{
    private static readonly FrozenDictionary<string, Type> TypesByName = ProviderExceptionTypes.All.ToFrozenDictionary(t => t.FullName!, StringComparer.Ordinal);

    /// <inheritdoc />
    public bool TryFormat(Type type, out string formatted)
    {
        if (ProviderExceptionTypes.IsProviderType(type) && type.FullName is { } name && TypesByName.ContainsKey(name))
        {
            formatted = name;
            return true;
        }

        formatted = "";
        return false;
    }

    /// <inheritdoc />
    public bool TryParse(string formatted, out Type type) => TypesByName.TryGetValue(formatted, out type!);
}
