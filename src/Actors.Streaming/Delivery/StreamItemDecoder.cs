using System.Collections.Concurrent;
using Actors.Serialization;

namespace Actors.Streams.Delivery;

/// <summary>Decodes stored stream items: the stored type must exist in this process and be assignable to what the subscriber expects.</summary>
internal static class StreamItemDecoder
{
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    /// <summary>Decodes <paramref name="item"/> for a subscriber of <paramref name="expectedType"/>; false with the error to report when it cannot.</summary>
    public static bool TryDecode(IGrainSerializer serializer, StreamDelivery delivery, StreamDeliveryItem item, Type expectedType, out object? value, out StreamDeliveryException error)
    {
        value = null;
        var token = new EventSequenceToken(item.SequenceNumber);
        string typeName = item.Record.TypeName;
        Type? stored = Types.GetOrAdd(typeName, static name => Type.GetType(name, throwOnError: false));
        string? problem = stored is null
            ? $"the stored item type '{typeName}' is not known in this silo"
            : !expectedType.IsAssignableFrom(stored)
                ? $"the stored item type '{stored.FullName}' is not assignable to the observer's type '{expectedType.FullName}'"
                : null;
        if (problem is null)
        {
            try
            {
                value = serializer.Deserialize(item.Record.Payload.Span, stored!);
                error = null!;
                return true;
            }
            catch (Exception ex) when (ex is GrainSerializationException or FormatException or NotSupportedException)
            {
                error = new StreamDeliveryException(delivery.ProviderName, delivery.StreamId, delivery.SubscriptionId, token, $"the stored '{stored!.FullName}' cannot be deserialized: {ex.Message}", ex, typeName);
                return false;
            }
        }

        error = new StreamDeliveryException(delivery.ProviderName, delivery.StreamId, delivery.SubscriptionId, token, problem, itemTypeName: typeName);
        return false;
    }
}
