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

public interface IOrderGrain : IGrainWithStringKey
{
    Task<OrderLine> Echo(OrderLine line);
}

public sealed class OrderGrain : Grain, IOrderGrain
{
    public Task<OrderLine> Echo(OrderLine line) => Task.FromResult(line);
}
