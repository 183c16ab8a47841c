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
