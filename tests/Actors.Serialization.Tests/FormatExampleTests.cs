namespace Actors.Serialization.Tests;

[GenerateSerializer]
public sealed class FormatExample
{
    [Id(0)]
    public int A { get; set; }

    [Id(1)]
    public string B { get; set; } = string.Empty;
}

public class FormatExampleTests
{
    [Fact]
    public void Serialize_DocumentedExample_ProducesTheDocumentedBytes()
    {
        // The example at the top of WireFormat.cs and in docs/serialization.md.
        byte[] bytes = Wire.Serializer.SerializeToArray(new FormatExample { A = 5, B = "hi" });

        Assert.Equal("01" + "05" + "010A" + "14026869" + "06", Wire.Hex(bytes));
    }

    [Fact]
    public void Deserialize_UnsupportedFormatVersion_IsRejected()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(5);
        bytes[0] = 2;

        var error = Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<int>(bytes));
        Assert.Contains("format version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_TrailingBytes_AreRejected()
    {
        byte[] bytes = [.. Wire.Serializer.SerializeToArray(5), 0];

        Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<int>(bytes));
    }
}

public class CraftedInputTests
{
    [Fact]
    public void DeeplyNestedTypeName_IsRejectedBeforeTheStackIsExhausted()
    {
        // Root: typed Object whose TypeSpec is List<List<List<...>>> 100,000 levels deep.
        var bytes = new List<byte> { 0x01, 0x0D };
        for (int i = 0; i < 100_000; i++)
        {
            bytes.AddRange([0x01, 41, 0x01]); // WellKnown List`1, arity 1
        }

        var error = Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<object>(bytes.ToArray()));
        Assert.Contains("nests more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueTupleWithANonTupleRest_NamedByData_IsRefused()
    {
        // Root: typed VarInt whose TypeSpec is ValueTuple`8<int x 7, int>: not a type the serializer will build.
        var bytes = new List<byte> { 0x01, 0x0D, 0x01, 78, 0x08 };
        for (int i = 0; i < 8; i++)
        {
            bytes.AddRange([0x01, 7, 0x00]); // WellKnown int, arity 0
        }

        bytes.Add(0x06);

        Assert.Throws<UnknownTypeException>(() => Wire.Serializer.Deserialize<object>(bytes.ToArray()));
    }
}
