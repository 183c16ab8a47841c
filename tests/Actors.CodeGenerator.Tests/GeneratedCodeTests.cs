using System.Reflection;
using Actors.Serialization;

namespace Actors.CodeGenerator.Tests;

public class GeneratedCodeTests
{
    private const string Shapes = """
        using System;
        using System.Collections.Generic;
        using Actors;

        namespace Shop;

        [GenerateSerializer, Alias("shop.order")]
        public sealed class Order
        {
            [Id(0)] private readonly Guid _id;
            public Order() { }
            public Order(Guid id) { _id = id; }
            public Guid IdValue => _id;
            [Id(1)] public string? Customer { get; set; }
            [Id(2)] public List<Line> Lines { get; set; } = new();
            [Id(3)] public Status Status { get; private set; }
            [Id(4)] public required string Region { get; init; }
            public void Ship() => Status = Status.Shipped;
        }

        [GenerateSerializer]
        public record Line(string Sku, int Quantity, decimal Price);

        [GenerateSerializer]
        public readonly record struct Coordinate(double Lat, double Lon);

        [GenerateSerializer]
        public struct Counter { [Id(0)] public long Value; [Id(1)] private int _hidden; public int Hidden { get => _hidden; set => _hidden = value; } }

        [GenerateSerializer]
        public sealed class Envelope<T> where T : notnull { [Id(0)] public T Body { get; set; } = default!; [Id(1)] public Dictionary<string, T> Extra { get; set; } = new(); }

        [GenerateSerializer, Alias("shop.event")]
        public abstract class ShopEvent { [Id(0)] public DateTime At { get; set; } }

        [GenerateSerializer, Alias("shop.paid")]
        public class Paid : ShopEvent { [Id(0)] public decimal Amount { get; set; } }

        [GenerateSerializer]
        public sealed class PaidTwice : Paid { [Id(0)] public int Times { get; set; } }

        [GenerateSerializer(IncludePrimaryConstructorParameters = true)]
        public sealed class Named(string name) { public string Name { get; } = name; }

        [GenerateSerializer, Alias("shop.status")]
        public enum Status { Open, Shipped }

        [GenerateSerializer]
        public sealed class StockException : InvalidOperationException
        {
            public StockException() { }
            public StockException(string sku) : base("out of " + sku) { Sku = sku; }
            [Id(0)] public string? Sku { get; private set; }
        }

        public static class Container
        {
            [GenerateSerializer]
            public sealed class Inner { [Id(0)] public int Value { get; set; } }
        }

        public sealed class Foreign { public Foreign(int v) { V = v; } public int V { get; } }

        [GenerateSerializer]
        public struct ForeignSurrogate { [Id(0)] public int V; }

        [RegisterConverter]
        public sealed class ForeignConverter : IConverter<Foreign, ForeignSurrogate>
        {
            public Foreign ConvertFromSurrogate(in ForeignSurrogate s) => new(s.V);
            public ForeignSurrogate ConvertToSurrogate(in Foreign v) => new() { V = v.V };
        }
        """;

    [Fact]
    public void Generator_ForEveryShape_EmitsCodeThatCompiles()
    {
        (var output, var diagnostics, var sources) = GeneratorHarness.Generate(Shapes);

        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        Assert.Contains(sources, s => s.Contains("SerializationManifestAttribute", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("AddAlias(\"shop.status\"", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("AddConverter<global::Shop.Foreign, global::Shop.ForeignSurrogate>", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("AddGenericCodec(typeof(global::Shop.Envelope<>)", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("AddExceptionCodec<global::Shop.StockException>", StringComparison.Ordinal));
    }

    [Fact]
    public void GeneratedCode_RoundTripsThroughTheSerializer()
    {
        (var output, _, _) = GeneratorHarness.Generate(Shapes, "Generated.RoundTrip");
        Assembly assembly = GeneratorHarness.Load(output);
        var serializer = new Serializer(new SerializerBuilder { DiscoverAssemblies = false }.AddAssembly(assembly).Build());
        Type orderType = assembly.GetType("Shop.Order")!;
        Type lineType = assembly.GetType("Shop.Line")!;
        object order = Activator.CreateInstance(orderType, Guid.Parse("11111111-2222-3333-4444-555555555555"))!;
        orderType.GetProperty("Customer")!.SetValue(order, "Ann");
        orderType.GetProperty("Region")!.SetValue(order, "eu");
        orderType.GetMethod("Ship")!.Invoke(order, null);
        object lines = orderType.GetProperty("Lines")!.GetValue(order)!;
        lines.GetType().GetMethod("Add")!.Invoke(lines, [Activator.CreateInstance(lineType, "sku", 2, 3.5m)]);

        object copy = serializer.Deserialize(serializer.SerializeToArray(order, orderType), orderType)!;

        Assert.Equal(Guid.Parse("11111111-2222-3333-4444-555555555555"), orderType.GetProperty("IdValue")!.GetValue(copy));
        Assert.Equal("Ann", orderType.GetProperty("Customer")!.GetValue(copy));
        Assert.Equal("eu", orderType.GetProperty("Region")!.GetValue(copy));
        Assert.Equal("Shipped", orderType.GetProperty("Status")!.GetValue(copy)!.ToString());
        object copiedLines = orderType.GetProperty("Lines")!.GetValue(copy)!;
        Assert.Equal(Activator.CreateInstance(lineType, "sku", 2, 3.5m), ((System.Collections.IList)copiedLines)[0]);
    }

    [Fact]
    public void GeneratedCode_Polymorphism_AndDeepCopy_Work()
    {
        (var output, _, _) = GeneratorHarness.Generate(Shapes, "Generated.Polymorphism");
        Assembly assembly = GeneratorHarness.Load(output);
        CodecProvider provider = new SerializerBuilder { DiscoverAssemblies = false }.AddAssembly(assembly).Build();
        var serializer = new Serializer(provider);
        Type baseType = assembly.GetType("Shop.ShopEvent")!;
        Type twice = assembly.GetType("Shop.PaidTwice")!;
        object value = Activator.CreateInstance(twice)!;
        twice.GetProperty("Amount")!.SetValue(value, 9m);
        twice.GetProperty("Times")!.SetValue(value, 2);
        twice.GetProperty("At")!.SetValue(value, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        object copy = serializer.Deserialize(serializer.SerializeToArray(value, baseType), baseType)!;
        object deepCopy = new DeepCopier(provider).Copy(value)!;

        Assert.IsType(twice, copy);
        Assert.Equal(9m, twice.GetProperty("Amount")!.GetValue(copy));
        Assert.Equal(2, twice.GetProperty("Times")!.GetValue(copy));
        Assert.NotSame(value, deepCopy);
        Assert.Equal(2, twice.GetProperty("Times")!.GetValue(deepCopy));
    }

    [Fact]
    public void Generator_WithNoSerializableTypes_EmitsNothing()
    {
        (var output, var diagnostics, var sources) = GeneratorHarness.Generate("namespace Empty; public class Plain { }");

        Assert.Empty(sources);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
    }
}
