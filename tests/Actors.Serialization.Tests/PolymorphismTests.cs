using Actors.Serialization.Tests.Model;

namespace Actors.Serialization.Tests;

public class PolymorphismTests
{
    [Fact]
    public void BaseTypedMembers_HoldingDerivedValues_KeepTheirTypes()
    {
        var zoo = new Zoo
        {
            Star = new Puppy { Name = "Rex", AgeInWeeks = 3 },
            Animals = [new Dog { Name = "d" }, new Cat { Name = "c", Lives = 3 }, new Puppy { Name = "p" }],
            Anything = new Money(2m, "GBP"),
            Shape = new Square(2),
            Names = new[] { "a", "b" },
        };

        Zoo copy = Wire.RoundTrip(zoo);

        Assert.Equal(3, Assert.IsType<Puppy>(copy.Star).AgeInWeeks);
        Assert.Equal([typeof(Dog), typeof(Cat), typeof(Puppy)], copy.Animals.Select(a => a.GetType()));
        Assert.Equal(3, ((Cat)copy.Animals[1]).Lives);
        Assert.Equal(new Money(2m, "GBP"), copy.Anything);
        Assert.Equal(4, copy.Shape!.Area);
        Assert.Equal(["a", "b"], copy.Names!);
        Assert.IsType<string[]>(copy.Names);
    }

    [Fact]
    public void DerivedType_IsNamedByItsAlias()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray<Animal>(new Cat { Name = "c" });

        Assert.Contains("test.cat", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedDerivedType_IsNamedOnceAndThenByBackReference()
    {
        var many = Enumerable.Range(0, 50).Select(_ => (Animal)new Cat()).ToList();

        byte[] bytes = Wire.Serializer.SerializeToArray(many);

        int occurrences = System.Text.Encoding.UTF8.GetString(bytes).Split("test.cat").Length - 1;
        Assert.Equal(1, occurrences);
        Assert.All(Wire.Serializer.Deserialize<List<Animal>>(bytes), a => Assert.IsType<Cat>(a));
    }

    [Fact]
    public void UnknownAlias_IsATypedErrorNamingTheAlias()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray(new Zoo { Star = new Cat { Name = "c" } });
        var reader = new Serializer(new SerializerBuilder { TypeFilter = type => type != typeof(Cat) }.Build());

        var error = Assert.Throws<UnknownTypeException>(() => reader.Deserialize<Zoo>(bytes));

        Assert.Equal("test.cat", error.TypeName);
        Assert.Contains("test.cat", error.Message, StringComparison.Ordinal);
        Assert.Contains("Zoo.Star", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeTypeOutsideTheDeclaredType_IsRejected()
    {
        // A value written into an object slot as a Money, read where an Animal is expected.
        byte[] money = Wire.Serializer.SerializeToArray<object>(new Money(1m, "X"));

        var error = Assert.Throws<WireFormatException>(() => Wire.Serializer.Deserialize<Animal>(money));
        Assert.Contains("Money", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AbstractDeclaredType_WithoutTypeInformation_IsRejected()
    {
        // Written as a Dog (untyped root), read as the abstract Animal: the reader cannot know which type to build.
        byte[] bytes = Wire.Serializer.SerializeToArray(new Dog());

        Assert.Throws<SerializerException>(() => Wire.Serializer.Deserialize<Animal>(bytes));
    }
}
