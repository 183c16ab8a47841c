using Orleans.Serialization.TypeSystem;

namespace Actors.Orleans.Codecs;

/// <summary>Resolves a stored type name for the codecs that store one.</summary>
internal static class StoredTypes
{
    /// <summary>The type named by <paramref name="typeName"/>, checked to be assignable to <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The name is empty, unknown to Orleans, or names a type that is not a <typeparamref name="T"/>.</exception>
    public static Type Resolve<T>(TypeConverter types, string typeName)
    {
        if (typeName.Length == 0)
        {
            throw new InvalidOperationException($"the record stores no type name; this codec needs one to read a {typeof(T).FullName}");
        }

        if (!types.TryParse(typeName, out Type? type))
        {
            throw new InvalidOperationException($"the stored type '{typeName}' is not known to this silo (renamed or removed? an [Alias] keeps old names readable)");
        }

        if (!typeof(T).IsAssignableFrom(type))
        {
            throw new InvalidOperationException($"the stored type '{typeName}' is not a {typeof(T).FullName}");
        }

        return type;
    }
}
