using System.Collections.Immutable;
using Actors.Serialization.Tests.Model;

namespace Actors.Serialization.Tests;

[GenerateSerializer]
public sealed class Mutable
{
    [Id(0)]
    public List<Money> Prices { get; set; } = [];

    [Id(1)]
    public Dictionary<string, Address> Addresses { get; set; } = [];

    [Id(2)]
    public Money? Main { get; set; }

    [Id(3)]
    public int[] Numbers { get; set; } = [];
}

public class CopierTests
{
    [Fact]
    public void MutableGraph_IsCopiedDeeply()
    {
        var original = new Mutable
        {
            Prices = [new Money(1m, "A")],
            Addresses = { ["home"] = new Address { Street = "s" } },
            Main = new Money(2m, "B"),
            Numbers = [1, 2],
        };

        Mutable copy = Wire.Copier.Copy(original);

        Assert.NotSame(original, copy);
        Assert.NotSame(original.Prices, copy.Prices);
        Assert.NotSame(original.Addresses["home"], copy.Addresses["home"]);
        Assert.Equal("s", copy.Addresses["home"].Street);
        Assert.NotSame(original.Numbers, copy.Numbers);
        Assert.Equal([1, 2], copy.Numbers);
    }

    [Fact]
    public void ImmutableValues_AreShared()
    {
        var money = new Money(1m, "A");
        var sku = new Sku("s", 2);
        var frozen = new FrozenSettings { Names = ["n"] };
        ImmutableList<string> list = ["x"];

        Assert.Same(money, Wire.Copier.Copy(money));
        Assert.Same(sku, Wire.Copier.Copy(sku));
        Assert.Same(frozen, Wire.Copier.Copy(frozen));
        Assert.Same(list, Wire.Copier.Copy(list));
        Assert.Same("text", Wire.Copier.Copy("text"));
        Assert.True(Wire.Copier.IsShallowCopyable(typeof(Sku)));
        Assert.False(Wire.Copier.IsShallowCopyable(typeof(Mutable)));
    }

    [Fact]
    public void RecordWithAMemberOfANonSealedType_IsCopied_ButItsImmutableMemberIsShared()
    {
        // Line's Price is a Money, which is not sealed: a derived Money could be mutable, so Line itself is copied.
        var line = new Line("s", 1, new Money(1m, "A"));

        Line copy = Wire.Copier.Copy(line);

        Assert.NotSame(line, copy);
        Assert.Same(line.Price, copy.Price);
        Assert.False(Wire.Copier.IsShallowCopyable(typeof(Line)));
    }

    [Fact]
    public void SharedReferencesAndCycles_ArePreservedInTheCopy()
    {
        var root = new Node { Name = "r" };
        root.Children.Add(new Node { Name = "c", Parent = root });
        root.Children.Add(root.Children[0]);

        Node copy = Wire.Copier.Copy(root);

        Assert.NotSame(root, copy);
        Assert.Same(copy, copy.Children[0].Parent);
        Assert.Same(copy.Children[0], copy.Children[1]);
    }

    [Fact]
    public void PolymorphicMembers_AreCopiedByRuntimeType()
    {
        var zoo = new Zoo { Star = new Puppy { Name = "p", AgeInWeeks = 2 }, Anything = new List<int> { 1 } };

        Zoo copy = Wire.Copier.Copy(zoo);

        Assert.Equal(2, Assert.IsType<Puppy>(copy.Star).AgeInWeeks);
        Assert.NotSame(zoo.Star, copy.Star);
        Assert.NotSame(zoo.Anything, copy.Anything);
        Assert.Equal([1], Assert.IsType<List<int>>(copy.Anything));
    }

    [Fact]
    public void PlainImmutableRecord_WithoutAttributes_IsSharedAsInSiloCallsAlwaysDid()
    {
        var value = new PlainImmutable("a", 1);

        Assert.Same(value, Wire.Copier.Copy(value));
    }

    [Fact]
    public void CollectionsAndTuples_AreCopied()
    {
        var pair = (new List<int> { 1 }, "s");
        var queue = new Queue<Address>([new Address { Street = "q" }]);

        (List<int>, string) pairCopy = Wire.Copier.Copy(pair);
        Queue<Address> queueCopy = Wire.Copier.Copy(queue);

        Assert.NotSame(pair.Item1, pairCopy.Item1);
        Assert.NotSame(queue.Peek(), queueCopy.Peek());
        Assert.Equal("q", queueCopy.Peek().Street);
    }

    private sealed record PlainImmutable(string Name, int Value);

    [GenerateSerializer]
    public sealed record Sku(string Code, int Version);
}
