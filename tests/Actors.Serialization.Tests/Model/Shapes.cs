using System.Collections.Immutable;

namespace Actors.Serialization.Tests.Model;

// Types the code generator must handle. They are grouped in one file because each is a few lines of test data.

[GenerateSerializer]
public sealed class Person
{
    [Id(0)]
    private readonly Guid _secret;

    public Person()
    {
    }

    public Person(Guid secret)
    {
        _secret = secret;
    }

    [Id(1)]
    public string? Name { get; set; }

    [Id(2)]
    public int Age { get; set; }

    [Id(3)]
    public List<string>? Tags { get; set; }

    [Id(4)]
    public Address? Home { get; init; }

    public Guid Secret => _secret;
}

[GenerateSerializer]
public sealed class Address
{
    [Id(0)]
    public string Street { get; set; } = string.Empty;

    [Id(1)]
    public string? City { get; private set; }

    public void MoveTo(string city) => City = city;
}

[GenerateSerializer]
public record Money(decimal Amount, string Currency);

[GenerateSerializer]
public sealed record Line([property: Id(0)] string Sku, [property: Id(1)] int Quantity, [property: Id(2)] Money Price);

[GenerateSerializer]
public record struct Point(int X, int Y);

[GenerateSerializer]
public readonly record struct Temperature(double Celsius, [property: Id(5)] string Sensor);

[GenerateSerializer]
public struct MutableCounter
{
    [Id(0)]
    public long Value;

    [Id(1)]
    public string? Label;
}

[GenerateSerializer(IncludePrimaryConstructorParameters = true)]
public sealed class Primary(string name, int rank)
{
    public string Name { get; } = name;

    public int Rank { get; } = rank;
}

[GenerateSerializer]
public sealed class InitOnly
{
    [Id(0)]
    public required string Key { get; init; }

    [Id(1)]
    public DateTimeOffset When { get; init; }

    [Id(2)]
    public readonly int Readonly = 7;
}

[GenerateSerializer]
public sealed class Box<T>
{
    [Id(0)]
    public T? Value { get; set; }

    [Id(1)]
    private readonly List<T> _history = [];

    public List<T> History => _history;
}

[GenerateSerializer]
public sealed class Pair<TKey, TValue>
    where TKey : notnull
{
    [Id(0)]
    public TKey Key { get; set; } = default!;

    [Id(1)]
    public Dictionary<TKey, TValue> Map { get; set; } = [];
}

[GenerateSerializer, Alias("test.animal")]
public abstract class Animal
{
    [Id(0)]
    public string Name { get; set; } = string.Empty;
}

[GenerateSerializer, Alias("test.dog")]
public class Dog : Animal
{
    [Id(0)]
    public bool GoodBoy { get; set; }
}

[GenerateSerializer, Alias("test.puppy")]
public sealed class Puppy : Dog
{
    [Id(0)]
    public int AgeInWeeks { get; set; }
}

[GenerateSerializer, Alias("test.cat")]
public sealed class Cat : Animal
{
    [Id(0)]
    public int Lives { get; set; } = 9;
}

public interface IShape
{
    double Area { get; }
}

[GenerateSerializer]
public sealed record Square([property: Id(0)] double Side) : IShape
{
    public double Area => Side * Side;
}

[GenerateSerializer]
public sealed class Zoo
{
    [Id(0)]
    public Animal? Star { get; set; }

    [Id(1)]
    public List<Animal> Animals { get; set; } = [];

    [Id(2)]
    public object? Anything { get; set; }

    [Id(3)]
    public IShape? Shape { get; set; }

    [Id(4)]
    public IReadOnlyList<string>? Names { get; set; }
}

[GenerateSerializer]
public sealed class WithIgnored
{
    [Id(0)]
    public int Kept { get; set; }

    [NonSerialized]
    public int Ignored;

    [field: NonSerialized]
    [Id(1)]
    public int IgnoredProperty { get; set; }

    public int NoId { get; set; }
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class AutoIds
{
    public string? First { get; set; }

    public int Second { get; set; }

    public double Computed => Second * 2;
}

[GenerateSerializer]
public sealed class Node
{
    [Id(0)]
    public string Name { get; set; } = string.Empty;

    [Id(1)]
    public Node? Parent { get; set; }

    [Id(2)]
    public List<Node> Children { get; set; } = [];
}

public static class Outer
{
    [GenerateSerializer]
    public sealed class Nested
    {
        [Id(0)]
        public int Value { get; set; }
    }
}

[GenerateSerializer, Immutable]
public sealed class FrozenSettings
{
    [Id(0)]
    public List<string> Names { get; set; } = [];
}

[GenerateSerializer]
public sealed class Holder
{
    [Id(0), Immutable]
    public List<int> Shared { get; set; } = [];

    [Id(1)]
    public List<int> Copied { get; set; } = [];

    [Id(2)]
    public ImmutableList<string> Frozen { get; set; } = [];
}

public enum Color
{
    Red,
    Green,
    Blue,
}

[Flags]
public enum Access : ulong
{
    None = 0,
    Read = 1,
    Write = 1UL << 63,
}

[GenerateSerializer]
public sealed class Gate
{
    [Id(0)]
    public Color Color { get; set; }

    [Id(1)]
    public Access Access { get; set; }

    [Id(2)]
    public Color? MaybeColor { get; set; }
}

[GenerateSerializer]
public sealed class Ids
{
    [Id(0)]
    public int First { get; set; }

    [Id(40)]
    public int Far { get; set; }

    [Id(1000)]
    public string? Farther { get; set; }
}
