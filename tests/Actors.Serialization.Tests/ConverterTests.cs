using Actors.Serialization.Codecs;
using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Tests;

/// <summary>A type from "another library": no attributes can be added to it.</summary>
public sealed class ForeignPoint(int x, int y)
{
    public int X { get; } = x;

    public int Y { get; } = y;

    public bool FailOnConvert { get; init; }
}

[GenerateSerializer]
public struct ForeignPointSurrogate
{
    [Id(0)]
    public int X;

    [Id(1)]
    public int Y;
}

[RegisterConverter]
public sealed class ForeignPointConverter : IConverter<ForeignPoint, ForeignPointSurrogate>
{
    public ForeignPoint ConvertFromSurrogate(in ForeignPointSurrogate surrogate) => new(surrogate.X, surrogate.Y);

    public ForeignPointSurrogate ConvertToSurrogate(in ForeignPoint value) =>
        value.FailOnConvert ? throw new InvalidOperationException("conversion refused") : new() { X = value.X, Y = value.Y };
}

[GenerateSerializer]
public sealed class CarriesForeign
{
    [Id(0)]
    public ForeignPoint? Foreign { get; set; }

    [Id(1)]
    public Celsius Temperature { get; set; }
}

/// <summary>A type with a hand-written codec and copier.</summary>
public readonly record struct Celsius(double Degrees);

[RegisterSerializer]
public sealed class CelsiusCodec : IFieldCodec<Celsius>
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, Celsius value)
    {
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(Celsius), WireType.Fixed64);
        writer.WriteUInt64(BitConverter.DoubleToUInt64Bits(value.Degrees));
    }

    public Celsius ReadValue(ref Reader reader, Field field) => field.WireType == WireType.Fixed64
        ? new Celsius(BitConverter.UInt64BitsToDouble(reader.ReadUInt64()))
        : throw reader.WireTypeMismatch(field, typeof(Celsius));
}

[RegisterCopier]
public sealed class CelsiusCopier : IDeepCopier<Celsius>
{
    public static int Copies { get; private set; }

    public Celsius DeepCopy(Celsius input, CopyContext context)
    {
        Copies++;
        return input;
    }
}

public class ConverterTests
{
    [Fact]
    public void ForeignType_IsCarriedThroughItsSurrogate()
    {
        ForeignPoint copy = Wire.RoundTrip(new ForeignPoint(3, -4));

        Assert.Equal((3, -4), (copy.X, copy.Y));
        Assert.Equal(5, Wire.RoundTrip(new CarriesForeign { Foreign = new ForeignPoint(5, 0) }).Foreign!.X);
    }

    [Fact]
    public void ForeignType_IsDeepCopiedThroughItsSurrogate()
    {
        var original = new ForeignPoint(1, 2);

        ForeignPoint copy = Wire.Copier.Copy(original);

        Assert.NotSame(original, copy);
        Assert.Equal((1, 2), (copy.X, copy.Y));
    }

    [Fact]
    public void RegisteredSerializerAndCopier_AreUsed()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(new Celsius(21.5));
        int before = CelsiusCopier.Copies;

        Assert.Equal("01" + "03", Wire.Hex(bytes)[..4]);
        Assert.Equal(21.5, Wire.Serializer.Deserialize<Celsius>(bytes).Degrees);
        Assert.Equal(21.5, Wire.Copier.Copy(new Celsius(21.5)).Degrees);
        Assert.True(CelsiusCopier.Copies > before);
    }
}
