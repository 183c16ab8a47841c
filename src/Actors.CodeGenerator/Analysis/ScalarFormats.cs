using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>The scalar types the serializer's ScalarCodec covers, with their format type (for fast static calls).</summary>
internal static class ScalarFormats
{
    private const string Prefix = "global::Actors.Serialization.Codecs.";

    private static readonly Dictionary<SpecialType, string> BySpecialType = new()
    {
        [SpecialType.System_Boolean] = "BooleanFormat",
        [SpecialType.System_Byte] = "ByteFormat",
        [SpecialType.System_SByte] = "SByteFormat",
        [SpecialType.System_Int16] = "Int16Format",
        [SpecialType.System_UInt16] = "UInt16Format",
        [SpecialType.System_Int32] = "Int32Format",
        [SpecialType.System_UInt32] = "UInt32Format",
        [SpecialType.System_Int64] = "Int64Format",
        [SpecialType.System_UInt64] = "UInt64Format",
        [SpecialType.System_IntPtr] = "IntPtrFormat",
        [SpecialType.System_UIntPtr] = "UIntPtrFormat",
        [SpecialType.System_Char] = "CharFormat",
        [SpecialType.System_Single] = "SingleFormat",
        [SpecialType.System_Double] = "DoubleFormat",
        [SpecialType.System_Decimal] = "DecimalFormat",
        [SpecialType.System_String] = "StringFormat",
        [SpecialType.System_DateTime] = "DateTimeFormat",
    };

    private static readonly Dictionary<string, string> ByName = new(StringComparer.Ordinal)
    {
        ["global::System.Half"] = "HalfFormat",
        ["global::System.Int128"] = "Int128Format",
        ["global::System.UInt128"] = "UInt128Format",
        ["global::System.Numerics.BigInteger"] = "BigIntegerFormat",
        ["global::System.Guid"] = "GuidFormat",
        ["global::System.DateTimeOffset"] = "DateTimeOffsetFormat",
        ["global::System.TimeSpan"] = "TimeSpanFormat",
        ["global::System.DateOnly"] = "DateOnlyFormat",
        ["global::System.TimeOnly"] = "TimeOnlyFormat",
        ["global::System.Uri"] = "UriStringFormat",
        ["global::System.Version"] = "VersionFormat",
        ["byte[]"] = "ByteArrayFormat",
        ["global::System.ReadOnlyMemory<byte>"] = "ReadOnlyMemoryOfByteFormat",
        ["global::System.Memory<byte>"] = "MemoryOfByteFormat",
    };

    /// <summary>The fully qualified format type of <paramref name="type"/>, or null when it is not a scalar.</summary>
    public static string? Of(ITypeSymbol type)
    {
        if (BySpecialType.TryGetValue(type.SpecialType, out string? format))
        {
            return Prefix + format;
        }

        return ByName.TryGetValue(TypeNames.Code(type), out format) ? Prefix + format : null;
    }
}
