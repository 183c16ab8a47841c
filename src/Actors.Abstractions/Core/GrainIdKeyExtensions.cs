using System.Globalization;

namespace Actors;

/// <summary>
/// The canonical key strings of <see cref="GrainId.Key"/> and their parsing (Orleans' <c>GrainIdKeyExtensions</c>): a
/// Guid in "N" format, an integer in invariant decimal, and for compound keys the key extension after a '+'
/// (<c>0f8fad5bd9cb469fa16570867728950e+eu</c>, <c>42+eu</c>). A string key is kept as is.
/// </summary>
public static class GrainIdKeyExtensions
{
    private const char ExtensionSeparator = '+';

    /// <summary>The key string of a Guid key, with an optional key extension.</summary>
    public static string CreateGuidKey(Guid key, string? keyExtension = null)
        => keyExtension is null ? key.ToString("N") : $"{key:N}{ExtensionSeparator}{keyExtension}";

    /// <summary>The key string of an integer key, with an optional key extension.</summary>
    public static string CreateIntegerKey(long key, string? keyExtension = null)
    {
        string text = key.ToString(CultureInfo.InvariantCulture);
        return keyExtension is null ? text : $"{text}{ExtensionSeparator}{keyExtension}";
    }

    /// <summary>Reads a Guid key (and its extension, if any) from <paramref name="grainId"/>.</summary>
    public static bool TryGetGuidKey(this GrainId grainId, out Guid key, out string? keyExtension)
    {
        (string head, keyExtension) = Split(grainId.Key);
        return Guid.TryParseExact(head, "N", out key);
    }

    /// <summary>Reads a Guid key from <paramref name="grainId"/>.</summary>
    public static bool TryGetGuidKey(this GrainId grainId, out Guid key) => grainId.TryGetGuidKey(out key, out _);

    /// <summary>Reads an integer key (and its extension, if any) from <paramref name="grainId"/>.</summary>
    public static bool TryGetIntegerKey(this GrainId grainId, out long key, out string? keyExtension)
    {
        (string head, keyExtension) = Split(grainId.Key);
        return long.TryParse(head, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out key);
    }

    /// <summary>Reads an integer key from <paramref name="grainId"/>.</summary>
    public static bool TryGetIntegerKey(this GrainId grainId, out long key) => grainId.TryGetIntegerKey(out key, out _);

    private static (string Head, string? Extension) Split(string key)
    {
        int plus = key.IndexOf(ExtensionSeparator, StringComparison.Ordinal);
        return plus < 0 ? (key, null) : (key[..plus], key[(plus + 1)..]);
    }
}
