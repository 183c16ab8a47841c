using System.Text.Json.Serialization;

namespace Actors.Runtime.Tests.Grains;

public sealed class OrderLine
{
    public string ProductName { get; set; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OrderLine))]
public sealed partial class OrderJsonContext : JsonSerializerContext
{
}

// OrderLine is deliberately carried as JSON (the serializer's explicit opt-in, see SerializationTests).
#pragma warning disable ACT1003
public interface IOrderGrain : IGrainWithStringKey
{
    Task<OrderLine> Echo(OrderLine line);
}
#pragma warning restore ACT1003

public sealed class OrderGrain : Grain, IOrderGrain
{
    public Task<OrderLine> Echo(OrderLine line) => Task.FromResult(line);
}
