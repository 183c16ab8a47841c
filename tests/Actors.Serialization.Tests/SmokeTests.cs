using Actors.Serialization.Tests.Model;

namespace Actors.Serialization.Tests;

public class SmokeTests
{
    [Fact]
    public void Person_RoundTrips()
    {
        var serializer = new Serializer();
        var person = new Person(Guid.NewGuid()) { Name = "Ada", Age = 36, Tags = ["x", "y"] };
        byte[] bytes = serializer.SerializeToArray(person);
        Person copy = serializer.Deserialize<Person>(bytes);
        Assert.Equal("Ada", copy.Name);
        Assert.Equal(36, copy.Age);
        Assert.Equal(["x", "y"], copy.Tags!);
        Assert.Equal(person.Secret, copy.Secret);
        Assert.Equal(new Money(1.5m, "EUR"), serializer.Deserialize<Money>(serializer.SerializeToArray(new Money(1.5m, "EUR"))));
    }
}
