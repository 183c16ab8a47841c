using System.Collections.Immutable;
using Actors.Serialization.Tests.Model;

namespace Actors.Serialization.Tests;

public class GeneratedTypeTests
{
    [Fact]
    public void Class_WithPrivateReadonlyFieldAndInitOnlyMember_RoundTrips()
    {
        var home = new Address { Street = "Main" };
        home.MoveTo("Springfield");
        var person = new Person(Guid.NewGuid()) { Name = "Ada", Age = 36, Tags = ["x", "y"], Home = home };

        Person copy = Wire.RoundTrip(person);

        Assert.Equal(person.Secret, copy.Secret);
        Assert.Equal("Ada", copy.Name);
        Assert.Equal(36, copy.Age);
        Assert.Equal(["x", "y"], copy.Tags!);
        Assert.Equal("Main", copy.Home!.Street);
        Assert.Equal("Springfield", copy.Home.City);
    }

    [Fact]
    public void Records_RoundTrip()
    {
        var line = new Line("sku-1", 3, new Money(9.99m, "EUR"));

        Assert.Equal(line, Wire.RoundTrip(line));
        Assert.Equal(new Point(-1, 2), Wire.RoundTrip(new Point(-1, 2)));
        Assert.Equal(new Temperature(21.5, "s1"), Wire.RoundTrip(new Temperature(21.5, "s1")));
    }

    [Fact]
    public void PositionalRecord_ParametersGetTheirPositionAsId()
    {
        // Money(decimal Amount, string Currency): Amount is field 0, Currency field 1.
        byte[] bytes = Wire.Serializer.SerializeToArray(new Money(0m, "X"));

        Assert.Equal("01" + "05" + "04" + "10" + "00000000000000000000000000000000" + "140158" + "06", Wire.Hex(bytes));
    }

    [Fact]
    public void Struct_WithPublicFields_RoundTrips()
    {
        var counter = new MutableCounter { Value = long.MinValue, Label = "c" };

        MutableCounter copy = Wire.RoundTrip(counter);

        Assert.Equal(counter.Value, copy.Value);
        Assert.Equal("c", copy.Label);
    }

    [Fact]
    public void PrimaryConstructorClass_RoundTrips()
    {
        Primary copy = Wire.RoundTrip(new Primary("p", 4));

        Assert.Equal("p", copy.Name);
        Assert.Equal(4, copy.Rank);
    }

    [Fact]
    public void RequiredAndReadonlyMembers_RoundTrip()
    {
        var value = new InitOnly { Key = "k", When = DateTimeOffset.UnixEpoch };

        InitOnly copy = Wire.RoundTrip(value);

        Assert.Equal("k", copy.Key);
        Assert.Equal(DateTimeOffset.UnixEpoch, copy.When);
        Assert.Equal(7, copy.Readonly);
    }

    [Fact]
    public void GenericTypes_RoundTrip()
    {
        var box = new Box<int> { Value = 5 };
        box.History.AddRange([1, 2]);
        var pair = new Pair<string, Box<Money>> { Key = "k", Map = { ["a"] = new Box<Money> { Value = new Money(1m, "X") } } };

        Box<int> boxCopy = Wire.RoundTrip(box);
        Pair<string, Box<Money>> pairCopy = Wire.RoundTrip(pair);

        Assert.Equal(5, boxCopy.Value);
        Assert.Equal([1, 2], boxCopy.History);
        Assert.Equal(new Money(1m, "X"), pairCopy.Map["a"].Value);
        Assert.IsType<Box<string>>(Wire.RoundTripAsObject(new Box<string> { Value = "s" }));
    }

    [Fact]
    public void InheritanceChain_RoundTripsEveryLayer()
    {
        var puppy = new Puppy { Name = "Rex", GoodBoy = true, AgeInWeeks = 9 };

        Puppy copy = Wire.RoundTrip(puppy);

        Assert.Equal("Rex", copy.Name);
        Assert.True(copy.GoodBoy);
        Assert.Equal(9, copy.AgeInWeeks);
    }

    [Fact]
    public void NonSerializedAndUnmarkedMembers_AreNotWritten()
    {
        var value = new WithIgnored { Kept = 1, Ignored = 2, IgnoredProperty = 3, NoId = 4 };

        WithIgnored copy = Wire.RoundTrip(value);

        Assert.Equal(1, copy.Kept);
        Assert.Equal(0, copy.Ignored);
        Assert.Equal(0, copy.IgnoredProperty);
        Assert.Equal(0, copy.NoId);
    }

    [Fact]
    public void GenerateFieldIdsPublicProperties_NumbersSettableProperties()
    {
        AutoIds copy = Wire.RoundTrip(new AutoIds { First = "f", Second = 2 });

        Assert.Equal("f", copy.First);
        Assert.Equal(2, copy.Second);
        // First is field 0 (a string "f"), Second field 1 (zigzag 2 = 4); Computed has no setter and is left out.
        Assert.Equal("01" + "05" + "040166" + "1104" + "06", Wire.Hex(Wire.Serializer.SerializeToArray(new AutoIds { First = "f", Second = 2 })));
    }

    [Fact]
    public void NestedTypeAndEnums_RoundTrip()
    {
        Assert.Equal(3, Wire.RoundTrip(new Outer.Nested { Value = 3 }).Value);
        Gate gate = Wire.RoundTrip(new Gate { Color = Color.Blue, Access = Access.Write, MaybeColor = Color.Green });
        Assert.Equal((Color.Blue, Access.Write, (Color?)Color.Green), (gate.Color, gate.Access, gate.MaybeColor));
    }

    [Fact]
    public void LargeIds_UseExtendedDeltas()
    {
        Ids copy = Wire.RoundTrip(new Ids { First = 1, Far = 2, Farther = "3" });

        Assert.Equal((1, 2, "3"), (copy.First, copy.Far, copy.Farther));
    }

    [Fact]
    public void ImmutableMember_IsCarriedAndCopied()
    {
        var holder = new Holder { Shared = [1], Copied = [2], Frozen = ImmutableList.Create("f") };

        Holder serialized = Wire.RoundTrip(holder);
        Holder copied = Wire.Copier.Copy(holder);

        Assert.Equal([1], serialized.Shared);
        Assert.Equal(["f"], serialized.Frozen);
        Assert.Same(holder.Shared, copied.Shared);
        Assert.NotSame(holder.Copied, copied.Copied);
        Assert.Same(holder.Frozen, copied.Frozen);
    }
}

[GenerateSerializer, SerializationCallbacks(typeof(AuditHooks))]
public sealed class Audited
{
    [Id(0)]
    public int Value { get; set; }

    public List<string> Calls { get; } = [];
}

public sealed class AuditHooks
{
    public void OnSerializing(Audited value) => value.Calls.Add("serializing");

    public void OnSerialized(Audited value) => value.Calls.Add("serialized");

    public void OnDeserializing(Audited value) => value.Calls.Add("deserializing:" + value.Value);

    public void OnDeserialized(Audited value) => value.Calls.Add("deserialized:" + value.Value);

    public void OnCopied(Audited original, Audited copy) => copy.Calls.Add("copied from " + original.Value);
}

public class SerializationCallbackTests
{
    [Fact]
    public void Hooks_RunAroundSerializeDeserializeAndCopy()
    {
        var value = new Audited { Value = 3 };

        Audited read = Wire.RoundTrip(value);
        Audited copy = Wire.Copier.Copy(value);

        Assert.Equal(["serializing", "serialized"], value.Calls);
        Assert.Equal(["deserializing:0", "deserialized:3"], read.Calls);
        Assert.Equal(["copied from 3"], copy.Calls);
    }
}
