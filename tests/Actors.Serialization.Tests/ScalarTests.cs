using System.Numerics;

namespace Actors.Serialization.Tests;

public class ScalarTests
{
    public static TheoryData<object> Values() =>
    [
        true, false, (byte)0, byte.MaxValue, sbyte.MinValue, sbyte.MaxValue, short.MinValue, short.MaxValue, ushort.MaxValue,
        0, -1, int.MinValue, int.MaxValue, uint.MaxValue, long.MinValue, long.MaxValue, ulong.MaxValue, (nint)(-5), (nuint)5,
        'a', '\uffff', 1.5f, float.NaN, float.NegativeInfinity, -0.0f, 2.25d, double.Epsilon, double.NaN, -0.0d, (Half)1.5,
        decimal.MaxValue, decimal.MinValue, 0.0000001m, -12.345m, Int128.MinValue, Int128.MaxValue, UInt128.MaxValue,
        BigInteger.Parse("-123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture), BigInteger.Zero,
        Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), Guid.Empty,
        new DateTime(2026, 11, 22, 13, 45, 10, 123, DateTimeKind.Utc).AddTicks(7), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Local),
        DateTime.MaxValue, DateTime.MinValue, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(-330)), DateTimeOffset.MaxValue,
        TimeSpan.FromTicks(-1), TimeSpan.MaxValue, TimeSpan.MinValue, DateOnly.MaxValue, new DateOnly(1, 1, 1), new TimeOnly(23, 59, 59, 999),
        string.Empty, "plain", "ünïcödé ✓ 𝄞", new string('x', 5000), new Uri("https://example.org/a?b=c"), new Uri("relative/path", UriKind.Relative),
        new Version(1, 2, 3, 4), new Version(10, 0),
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void RoundTrip_AsDeclaredType_IsEqual(object value)
    {
        object? copy = Wire.Serializer.Deserialize(Wire.Serializer.SerializeToArray(value, value.GetType()), value.GetType());

        Assert.Equal(value, copy);
        Assert.Equal(value.GetType(), copy!.GetType());
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void RoundTrip_AsObject_KeepsTheType(object value)
    {
        object? copy = Wire.RoundTripAsObject(value);

        Assert.Equal(value, copy);
        Assert.Equal(value.GetType(), copy!.GetType());
    }

    [Fact]
    public void DateTime_KeepsKind()
    {
        foreach (DateTimeKind kind in Enum.GetValues<DateTimeKind>())
        {
            var value = new DateTime(2020, 5, 6, 7, 8, 9, kind);
            Assert.Equal(kind, Wire.RoundTrip(value).Kind);
        }
    }

    [Fact]
    public void NegativeZero_KeepsItsSign()
    {
        Assert.True(double.IsNegative(Wire.RoundTrip(-0.0d)));
        Assert.True(float.IsNegative(Wire.RoundTrip(-0.0f)));
    }

    [Fact]
    public void ByteBuffers_RoundTrip()
    {
        byte[] bytes = [1, 2, 3, 0, 255];

        Assert.Equal(bytes, Wire.RoundTrip(bytes));
        Assert.Equal(bytes, Wire.RoundTrip<ReadOnlyMemory<byte>>(bytes).ToArray());
        Assert.Equal(bytes, Wire.RoundTrip<Memory<byte>>(bytes).ToArray());
        Assert.Empty(Wire.RoundTrip(Array.Empty<byte>()));
        Assert.Null(Wire.RoundTrip<byte[]?>(null));
    }

    [Fact]
    public void Nullables_RoundTrip()
    {
        Assert.Null(Wire.RoundTrip<int?>(null));
        Assert.Equal(5, Wire.RoundTrip<int?>(5));
        Assert.Equal(Guid.Empty, Wire.RoundTrip<Guid?>(Guid.Empty));
        Assert.Null(Wire.RoundTrip<string?>(null));
    }

    [Fact]
    public void Enums_RoundTrip_IncludingUnnamedAndExtremeValues()
    {
        Assert.Equal(Model.Color.Blue, Wire.RoundTrip(Model.Color.Blue));
        Assert.Equal((Model.Color)42, Wire.RoundTrip((Model.Color)42));
        Assert.Equal(Model.Access.Read | Model.Access.Write, Wire.RoundTrip(Model.Access.Read | Model.Access.Write));
        Assert.Equal(Model.Color.Green, Wire.RoundTripAsObject(Model.Color.Green));
        Assert.Equal(DayOfWeek.Friday, Wire.RoundTrip(DayOfWeek.Friday));
    }

    [Fact]
    public void SmallValues_AreCompact()
    {
        // Version byte, one tag, one payload byte.
        Assert.Equal("01" + "01" + "0A", Wire.Hex(Wire.Serializer.SerializeToArray(5)));
        Assert.Equal("01" + "00" + "01", Wire.Hex(Wire.Serializer.SerializeToArray(true)));
        Assert.Equal("01" + "07", Wire.Hex(Wire.Serializer.SerializeToArray<string?>(null)));
    }

    [Fact]
    public void TypeValues_RoundTripByNameWithoutAssemblyVersions()
    {
        Type[] types = [typeof(int), typeof(Model.Point), typeof(List<Dictionary<string, int[]>>), typeof(int[,]), typeof(Dictionary<,>), typeof(System.Collections.Immutable.ImmutableArray<string>)];
        foreach (Type type in types)
        {
            Assert.Equal(type, Wire.RoundTrip(type));
            Assert.Equal(type, Wire.RoundTripAsObject(type));
            Assert.Same(type, Wire.Copier.Copy(type));
        }

        Assert.DoesNotContain("Version=", System.Text.Encoding.UTF8.GetString(Wire.Serializer.SerializeToArray(typeof(List<Model.Point>))), StringComparison.Ordinal);
    }

    [Fact]
    public void TypeValue_UnknownName_UnknownTypeException()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(typeof(Model.Point));
        string text = System.Text.Encoding.UTF8.GetString(bytes);
        int at = text.IndexOf("Point", StringComparison.Ordinal);
        Assert.True(at >= 0, text);
        bytes[at] = (byte)'Q';

        Assert.Throws<UnknownTypeException>(() => Wire.Serializer.Deserialize<Type>(bytes));
    }
}
