using Actors.Invocation;
using Actors.Runtime;

namespace Actors;

/// <summary>
/// Identity and key accessors for grain references and grain instances alike (Orleans' <c>GrainExtensions</c>): call
/// them as <c>reference.GetPrimaryKeyLong()</c> or, in grain code, <c>this.GetPrimaryKey(out string ext)</c>.
/// </summary>
public static class GrainExtensions
{
    /// <summary>The grain id behind a reference or a grain instance.</summary>
    /// <remarks>
    /// For a reference created by a client, the type half is provisional (derived from the interface, see
    /// <see cref="GrainTypeNames.ForInterface"/>); inside a silo it is the grain class's type name.
    /// </remarks>
    /// <exception cref="ArgumentException">The object is neither a reference nor a runtime-created grain.</exception>
    public static GrainId GetGrainId(this IAddressable grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return grain switch
        {
            IGrainReference reference => reference.GrainId,
            Grain instance => instance.GrainId,
            IGrainBase poco => poco.GrainContext.GrainId,
            _ => throw new ArgumentException(
                $"'{grain.GetType().FullName}' is neither a grain reference nor a grain (derive from Grain or implement IGrainBase).", nameof(grain)),
        };
    }

    /// <summary>
    /// A reference of interface <typeparamref name="TGrainInterface"/> to this grain (Orleans' <c>AsReference</c>): what a
    /// grain passes when it hands itself to another grain or an observer (never <c>this</c>). On a reference that
    /// already implements the interface, the reference itself.
    /// </summary>
    /// <exception cref="ArgumentException">The object is neither a grain nor a reference implementing the interface.</exception>
    public static TGrainInterface AsReference<TGrainInterface>(this IAddressable grain)
        where TGrainInterface : IAddressable
    {
        ArgumentNullException.ThrowIfNull(grain);
        return grain switch
        {
            IGrainReference and TGrainInterface reference => reference,
            Grain instance => instance.GrainContext.GrainFactory.GetGrain<TGrainInterface>(instance.GrainId),
            IGrainBase poco => poco.GrainContext.GrainFactory.GetGrain<TGrainInterface>(poco.GrainContext.GrainId),
            _ => throw new ArgumentException(
                $"'{grain.GetType().FullName}' is neither a grain nor a reference implementing {typeof(TGrainInterface).Name}.", nameof(grain)),
        };
    }

    /// <summary>The Guid key of the grain; an integer key is widened into a Guid as Orleans does.</summary>
    /// <exception cref="InvalidOperationException">The key is neither a Guid nor an integer.</exception>
    public static Guid GetPrimaryKey(this IAddressable grain) => GetPrimaryKey(grain, out _);

    /// <summary>The Guid key of the grain and its key extension (null when it has none).</summary>
    /// <exception cref="InvalidOperationException">The key is neither a Guid nor an integer.</exception>
    public static Guid GetPrimaryKey(this IAddressable grain, out string? keyExt) => GuidKeyOf(grain.GetGrainId(), out keyExt);

    /// <summary>The integer key of the grain.</summary>
    /// <exception cref="InvalidOperationException">The key is not an integer.</exception>
    public static long GetPrimaryKeyLong(this IAddressable grain) => GetPrimaryKeyLong(grain, out _);

    /// <summary>The integer key of the grain and its key extension (null when it has none).</summary>
    /// <exception cref="InvalidOperationException">The key is not an integer.</exception>
    public static long GetPrimaryKeyLong(this IAddressable grain, out string? keyExt) => IntegerKeyOf(grain.GetGrainId(), out keyExt);

    /// <summary>The grain's key as a string: a string key as is, other keys in their canonical form.</summary>
    public static string GetPrimaryKeyString(this IAddressable grain) => grain.GetGrainId().Key;

    /// <summary>Whether the grain's key is an integer (with or without extension).</summary>
    public static bool IsPrimaryKeyBasedOnLong(this IAddressable grain) => grain.GetGrainId().TryGetIntegerKey(out _);

    internal static Guid GuidKeyOf(GrainId grainId, out string? keyExt)
    {
        if (grainId.TryGetGuidKey(out Guid guid, out keyExt))
        {
            return guid;
        }

        if (grainId.TryGetIntegerKey(out long n, out keyExt))
        {
            return new Guid(0, 0, 0, (byte)n, (byte)(n >> 8), (byte)(n >> 16), (byte)(n >> 24), (byte)(n >> 32), (byte)(n >> 40), (byte)(n >> 48), (byte)(n >> 56));
        }

        throw new InvalidOperationException($"Unable to extract a Guid key from grain id {grainId}.");
    }

    internal static long IntegerKeyOf(GrainId grainId, out string? keyExt)
        => grainId.TryGetIntegerKey(out long key, out keyExt)
            ? key
            : throw new InvalidOperationException($"Unable to extract an integer key from grain id {grainId}.");
}
