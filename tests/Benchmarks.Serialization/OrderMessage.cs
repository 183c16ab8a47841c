using System.Text.Json.Serialization;

namespace Actors.Benchmarks.Serialization;

/// <summary>A typical 10-field message: ids, text, numbers, a timestamp, a flag and an enum.</summary>
[GenerateSerializer]
public sealed record OrderMessage(
    Guid OrderId,
    string Customer,
    int Quantity,
    decimal Price,
    DateTime CreatedAt,
    bool Paid,
    long Version,
    double Weight,
    string Note,
    OrderStatus Status);

public enum OrderStatus
{
    Open,
    Paid,
    Shipped,
}

/// <summary>System.Text.Json's source-generated metadata for the same message (the baseline).</summary>
[JsonSerializable(typeof(OrderMessage))]
internal sealed partial class OrderJsonContext : JsonSerializerContext;
