using Microsoft.Extensions.DependencyInjection;

namespace Actors.Serialization.Tests;

/// <summary>An existing plain record (no serializer attributes).</summary>
public sealed record LegacyOrder(string Id, (bool Paid, decimal Total) Summary, List<string> Items);

[GenerateSerializer]
public sealed class CarriesLegacy
{
#pragma warning disable ACT1003 // LegacyOrder is carried as JSON on purpose (AddJsonSerializer below).
    [Id(0)]
    public LegacyOrder? Order { get; set; }
#pragma warning restore ACT1003

    [Id(1)]
    public object? Untyped { get; set; }
}

public class JsonFallbackTests
{
    private static readonly LegacyOrder Order = new("o-1", (true, 12.5m), ["a", "b"]);

    [Fact]
    public void PlainRecord_IsNeverCarriedAsJsonImplicitly()
    {
        Assert.Throws<CodecNotFoundException>(() => Wire.Serializer.SerializeToArray(Order));
    }

    [Fact]
    public void PlainRecord_OptedIn_RoundTripsWithItsTuple()
    {
        var serializer = new Serializer(new SerializerBuilder().AddJsonSerializer(type => type == typeof(LegacyOrder)).Build());

        LegacyOrder copy = serializer.Deserialize<LegacyOrder>(serializer.SerializeToArray(Order));

        Assert.Equal(Order.Id, copy.Id);
        Assert.Equal(Order.Summary, copy.Summary);
        Assert.Equal(Order.Items, copy.Items);
    }

    [Fact]
    public void OptedInType_InsideGeneratedTypes_AndAsObject_RoundTrips()
    {
        var serializer = new Serializer(new SerializerBuilder().AddJsonSerializer(type => type == typeof(LegacyOrder)).Build());

        CarriesLegacy copy = serializer.Deserialize<CarriesLegacy>(serializer.SerializeToArray(new CarriesLegacy { Order = Order, Untyped = Order }));

        Assert.Equal("o-1", copy.Order!.Id);
        Assert.Equal("o-1", Assert.IsType<LegacyOrder>(copy.Untyped).Id);
    }

    [Fact]
    public void OptedInType_IsDeepCopiedThroughJson()
    {
        var copier = new DeepCopier(new SerializerBuilder().AddJsonSerializer(type => type == typeof(LegacyOrder)).Build());

        LegacyOrder copy = copier.Copy(Order);

        Assert.NotSame(Order, copy);
        Assert.NotSame(Order.Items, copy.Items);
        Assert.Equal(Order.Summary, copy.Summary);
    }

    [Fact]
    public void AddSerializer_RegistersSerializerCopierAndConfiguration()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddSerializer(builder => builder.AddJsonSerializer(type => type == typeof(LegacyOrder)))
            .BuildServiceProvider();

        var serializer = services.GetRequiredService<Serializer>();

        Assert.Equal("o-1", serializer.Deserialize<LegacyOrder>(serializer.SerializeToArray(Order)).Id);
        Assert.Same(services.GetRequiredService<CodecProvider>(), services.GetRequiredService<ICodecProvider>());
        Assert.Same(serializer.Provider, services.GetRequiredService<DeepCopier>().Provider);
    }
}
