using Actors.Serialization.Tests.Model;

namespace Actors.Serialization.Tests;

public sealed class NotAnnotated
{
    public int Value { get; set; }
}

[GenerateSerializer]
public sealed class CarriesNotAnnotated
{
    [Id(0)]
    public object? Payload { get; set; }
}

[GenerateSerializer]
public sealed class WideNumbers
{
    [Id(0)]
    public long Count { get; set; }

    [Id(1)]
    public string? Text { get; set; }
}

[GenerateSerializer]
public sealed class NarrowNumbers
{
    [Id(0)]
    public int Count { get; set; }
}

[GenerateSerializer]
public sealed class TextBecameNumber
{
    [Id(0)]
    public int Count { get; set; }

    [Id(1)]
    public int Text { get; set; }
}

public class ErrorTests
{
    [Fact]
    public void TypeWithoutCodec_IsATypedErrorNamingTypeAndMember()
    {
        var error = Assert.Throws<CodecNotFoundException>(() => Wire.Serializer.SerializeToArray(new CarriesNotAnnotated { Payload = new NotAnnotated() }));

        Assert.Equal(typeof(NotAnnotated), error.Type);
        Assert.Contains("NotAnnotated", error.Message, StringComparison.Ordinal);
        Assert.Contains("CarriesNotAnnotated.Payload", error.Message, StringComparison.Ordinal);
        Assert.Contains("[GenerateSerializer]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueOutOfTheReadersRange_IsAnErrorNotATruncation()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(new WideNumbers { Count = long.MaxValue });

        var error = Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<NarrowNumbers>(bytes));

        Assert.Contains("out of the range", error.Message, StringComparison.Ordinal);
        Assert.Equal("Actors.Serialization.Tests.NarrowNumbers.Count", error.MemberPath);
    }

    [Fact]
    public void WidenedMember_ReadsOldNarrowerData()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(new NarrowNumbers { Count = -5 });

        Assert.Equal(-5, Wire.Serializer.Deserialize<WideNumbers>(bytes).Count);
    }

    [Fact]
    public void MemberWhoseShapeChanged_IsAnErrorNamingTheMember()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(new WideNumbers { Text = "text" });

        var error = Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<TextBecameNumber>(bytes));

        Assert.Contains("LengthPrefixed", error.Message, StringComparison.Ordinal);
        Assert.Equal("Actors.Serialization.Tests.TextBecameNumber.Text", error.MemberPath);
    }

    [Fact]
    public void NullForANonNullableValue_IsAnError()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray<int?>(null);

        Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<int>(bytes));
    }

    [Fact]
    public void TruncatedData_IsAnErrorAtEveryLength()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(new Person(Guid.NewGuid()) { Name = "n", Tags = ["t"], Home = new Address { Street = "s" } });

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<Person>(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void ErrorsDeepInAGraph_NameThePath()
    {
        var zoo = new Zoo { Animals = [new Dog()], Anything = new List<object> { new NotAnnotated() } };

        var error = Assert.Throws<CodecNotFoundException>(() => Wire.Serializer.SerializeToArray(zoo));

        Assert.Equal("Actors.Serialization.Tests.Model.Zoo.Anything", error.MemberPath);
    }

    [Fact]
    public void ExceptionFromAConverter_IsWrappedWithTheMember()
    {
        var value = new CarriesForeign { Foreign = new ForeignPoint(1, 2) { FailOnConvert = true } };

        var error = Assert.Throws<SerializerException>(() => Wire.Serializer.SerializeToArray(value));

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal("Actors.Serialization.Tests.CarriesForeign.Foreign", error.MemberPath);
    }

    [Fact]
    public void CancellableToken_WithoutBridge_IsRefused_AndNoneCrosses()
    {
        using var source = new CancellationTokenSource();

        Assert.Throws<SerializerException>(() => Wire.Serializer.SerializeToArray(source.Token));
        Assert.Equal(CancellationToken.None, Wire.RoundTrip(CancellationToken.None));
        Assert.True(Wire.RoundTrip(new CancellationToken(canceled: true)).IsCancellationRequested);
    }

    [Fact]
    public void CopyOfATypeWithoutCopier_IsATypedError()
    {
        Assert.Throws<CodecNotFoundException>(() => Wire.Copier.Copy(new NotAnnotated()));
    }
}
