using Orleans;

namespace Chirper.Grains;

/// <summary>One chirp: its text, when it was published and by whom.</summary>
[GenerateSerializer, Immutable]
public sealed record class ChirperMessage(
    [property: Id(0)] string Message,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] string PublisherUserName)
{
    /// <inheritdoc />
    public override string ToString() => $"@{PublisherUserName} {Timestamp:u}: {Message}";
}
