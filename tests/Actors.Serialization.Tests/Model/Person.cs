namespace Actors.Serialization.Tests.Model;

[GenerateSerializer]
public sealed class Person
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public int Age { get; set; }

    [Id(2)]
    public List<string>? Tags { get; set; }

    [Id(3)]
    private readonly Guid _secret;

    public Person()
    {
    }

    public Person(Guid secret)
    {
        _secret = secret;
    }

    public Guid Secret => _secret;
}

[GenerateSerializer]
public record Money(decimal Amount, string Currency);
