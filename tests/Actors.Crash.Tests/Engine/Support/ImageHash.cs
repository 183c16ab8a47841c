using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// The identity of a crash image for deduplicating crash states: a 128-bit XxHash of every file's name, length and
/// content, in name order. Not cryptographic: the images are the tests' own, nobody crafts a collision, and at 2^-64 per
/// pair of the sweeps' at most some ten thousand states an accidental one does not happen.
/// </summary>
internal static class ImageHash
{
    /// <summary>The hash of <paramref name="image"/> (paths in ordinal order, so equal images hash equal whatever their insertion order).</summary>
    public static UInt128 Of(Dictionary<string, byte[]> image)
    {
        var paths = new string[image.Count];
        image.Keys.CopyTo(paths, 0);
        Array.Sort(paths, StringComparer.Ordinal);
        var hash = new XxHash128();
        Span<byte> length = stackalloc byte[sizeof(int)];
        foreach (var path in paths)
        {
            var content = image[path];
            hash.Append(MemoryMarshal.AsBytes(path.AsSpan()));
            MemoryMarshal.Write(length, path.Length);
            hash.Append(length);
            MemoryMarshal.Write(length, content.Length);
            hash.Append(length);
            hash.Append(content);
        }

        return hash.GetCurrentHashAsUInt128();
    }
}
