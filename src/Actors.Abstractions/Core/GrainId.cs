namespace Actors;

/// <summary>
/// The identity of a grain: <c>type/key</c>. <see cref="Type"/> is the grain type name (the class name lowercased
/// without a trailing "grain", or the value of <see cref="GrainTypeAttribute"/>); <see cref="Key"/> is the
/// primary key in its canonical string form (a string as is, a Guid as "N" format, an integer in invariant decimal).
/// </summary>
/// <param name="Type">The grain type name; non-empty and without '/'.</param>
/// <param name="Key">The primary key in canonical string form; non-empty.</param>
[GenerateSerializer, Alias("actors.grain-id")]
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>Creates a validated grain id.</summary>
    /// <exception cref="ArgumentException">The type is empty or contains '/', or the key is empty.</exception>
    public static GrainId Create(string type, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (type.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A grain type name must not contain '/': '{type}'.", nameof(type));
        }

        return new GrainId(type, key);
    }

    /// <summary>Parses <c>type/key</c> (the key may itself contain '/').</summary>
    /// <exception cref="FormatException">The text has no '/' separating a non-empty type and key.</exception>
    public static GrainId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not a grain id of the form type/key.");
        }

        return new GrainId(text[..slash], text[(slash + 1)..]);
    }

    /// <summary>Returns <c>type/key</c>.</summary>
    public override string ToString() => $"{Type}/{Key}";
}
