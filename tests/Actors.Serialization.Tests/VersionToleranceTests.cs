using Actors.Serialization.Tests.Model;

namespace Actors.Serialization.Tests;

/// <summary>An event as version 1 of an application stored it.</summary>
[GenerateSerializer]
public sealed class OrderPlacedV1
{
    [Id(0)]
    public string OrderId { get; set; } = string.Empty;

    [Id(1)]
    public decimal Total { get; set; }

    [Id(2)]
    public List<string> Items { get; set; } = [];
}

/// <summary>Version 2 of the same event: Items (2) was removed; Currency (3), Customer (4) and Pets (5) were added.</summary>
[GenerateSerializer]
public sealed class OrderPlacedV2
{
    [Id(0)]
    public string OrderId { get; set; } = string.Empty;

    [Id(1)]
    public decimal Total { get; set; }

    [Id(3)]
    public string? Currency { get; set; }

    [Id(4)]
    public CustomerV2? Customer { get; set; }

    [Id(5)]
    public List<Animal> Pets { get; set; } = [];
}

[GenerateSerializer]
public sealed class CustomerV2
{
    [Id(0)]
    public string Name { get; set; } = string.Empty;

    [Id(1)]
    public Dictionary<string, (int, Guid)> Scores { get; set; } = [];

    [Id(2)]
    public CustomerV2? Referrer { get; set; }
}

/// <summary>A reader that knows a field which refers to an object inside a field it does not know.</summary>
[GenerateSerializer]
public sealed class SharesWithNewField
{
    [Id(1)]
    public object? Known { get; set; }
}

[GenerateSerializer]
public sealed class SharesWithNewFieldV2
{
    [Id(0)]
    public object? Added { get; set; }

    [Id(1)]
    public object? Known { get; set; }
}

public class VersionToleranceTests
{
    private static readonly OrderPlacedV1 V1 = new() { OrderId = "o-1", Total = 12.5m, Items = ["apple", "pear"] };

    private static readonly Guid ScoreId = Guid.Parse("a1b2c3d4-0000-1111-2222-333344445555");

    private static OrderPlacedV2 V2
    {
        get
        {
            var referrer = new CustomerV2 { Name = "Bob" };
            referrer.Referrer = referrer;
            return new OrderPlacedV2
            {
                OrderId = "o-2",
                Total = 99m,
                Currency = "EUR",
                Customer = new CustomerV2 { Name = "Ann", Scores = { ["gold"] = (3, ScoreId) }, Referrer = referrer },
                Pets = [new Cat { Name = "Tom", Lives = 7 }, new Puppy { Name = "Rex", AgeInWeeks = 8 }],
            };
        }
    }

    [Fact]
    public void Fixtures_MatchWhatThisBuildWrites()
    {
        // The checked-in bytes pin the wire format: a change that alters them breaks every stored event and peer.
        Assert.Equal(Fixture.Read("order-placed-v1"), Wire.Hex(Wire.Serializer.SerializeToArray(V1)));
        Assert.Equal(Fixture.Read("order-placed-v2"), Wire.Hex(Wire.Serializer.SerializeToArray(V2)));
    }

    [Fact]
    public void NewReader_ReadsOldData_AddedMembersStayDefault()
    {
        OrderPlacedV2 read = Wire.Serializer.Deserialize<OrderPlacedV2>(Convert.FromHexString(Fixture.Read("order-placed-v1")));

        Assert.Equal(("o-1", 12.5m), (read.OrderId, read.Total));
        Assert.Null(read.Currency);
        Assert.Null(read.Customer);
        Assert.Empty(read.Pets);
    }

    [Fact]
    public void OldReader_ReadsNewData_SkippingMembersItDoesNotKnow()
    {
        OrderPlacedV1 read = Wire.Serializer.Deserialize<OrderPlacedV1>(Convert.FromHexString(Fixture.Read("order-placed-v2")));

        Assert.Equal(("o-2", 99m), (read.OrderId, read.Total));
        Assert.Empty(read.Items);
    }

    [Fact]
    public void NewReader_ReadsNewFixture_Completely()
    {
        OrderPlacedV2 read = Wire.Serializer.Deserialize<OrderPlacedV2>(Convert.FromHexString(Fixture.Read("order-placed-v2")));

        Assert.Equal("Ann", read.Customer!.Name);
        Assert.Equal((3, ScoreId), read.Customer.Scores["gold"]);
        Assert.Same(read.Customer.Referrer, read.Customer.Referrer!.Referrer);
        Assert.Equal(7, Assert.IsType<Cat>(read.Pets[0]).Lives);
        Assert.Equal(8, Assert.IsType<Puppy>(read.Pets[1]).AgeInWeeks);
    }

    [Fact]
    public void OldReader_SkippingAnUnknownPolymorphicType_DoesNotNeedToKnowIt()
    {
        byte[] bytes = Convert.FromHexString(Fixture.Read("order-placed-v2"));
        var reader = new Serializer(new SerializerBuilder { TypeFilter = type => type != typeof(Cat) && type != typeof(Puppy) }.Build());

        Assert.Equal("o-2", reader.Deserialize<OrderPlacedV1>(bytes).OrderId);
        Assert.Throws<UnknownTypeException>(() => reader.Deserialize<OrderPlacedV2>(bytes));
    }

    [Fact]
    public void ReferenceIntoASkippedField_IsATypedErrorNotAGuess()
    {
        var shared = new Money(1m, "X");
        byte[] bytes = Wire.Serializer.SerializeToArray(new SharesWithNewFieldV2 { Added = shared, Known = shared });

        Assert.Same(shared.GetType(), Wire.Serializer.Deserialize<SharesWithNewFieldV2>(bytes).Known!.GetType());
        Assert.Throws<ReferenceNotFoundException>(() => Wire.Serializer.Deserialize<SharesWithNewField>(bytes));
    }

    /// <summary>Regenerates the fixtures when ACTORS_UPDATE_FIXTURES=1 (only after an intended format change, with a new format version).</summary>
    [Fact]
    public void Fixtures_Regenerate_WhenAsked()
    {
        if (Environment.GetEnvironmentVariable("ACTORS_UPDATE_FIXTURES") != "1")
        {
            Assert.True(File.Exists(Fixture.PathOf("order-placed-v1")), "the checked-in fixture is missing");
            return;
        }

        Fixture.Write("order-placed-v1", Wire.Hex(Wire.Serializer.SerializeToArray(V1)));
        Fixture.Write("order-placed-v2", Wire.Hex(Wire.Serializer.SerializeToArray(V2)));
    }
}

/// <summary>Checked-in byte fixtures: one upper-case hex line per file in Fixtures/.</summary>
internal static class Fixture
{
    public static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".hex");

    public static string Read(string name) => File.ReadAllText(PathOf(name)).Trim();

    public static void Write(string name, string hex)
    {
        // Into the source tree (the test runs from bin/...): tests/Actors.Serialization.Tests/Fixtures.
        string source = System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures", name + ".hex"));
        File.WriteAllText(source, hex + "\n");
    }
}
