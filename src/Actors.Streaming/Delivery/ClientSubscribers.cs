using Actors.Runtime;

namespace Actors.Streams.Delivery;

/// <summary>
/// How a gateway client's subscription names its subscriber in the subscription table: the grain id
/// <c>$streamclient/{clientId}</c> (grain type names starting with '$' are reserved, so no grain has it).
/// </summary>
internal static class ClientSubscribers
{
    /// <summary>The grain type of every client subscriber id.</summary>
    public const string GrainType = "$streamclient";

    /// <summary>The subscriber id of client <paramref name="clientId"/>.</summary>
    /// <exception cref="ArgumentException">An empty client id.</exception>
    public static GrainId GrainIdOf(string clientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        return GrainId.Create(GrainType, clientId);
    }

    /// <summary>Whether <paramref name="subscriber"/> is a gateway client.</summary>
    public static bool IsClient(GrainId subscriber) => string.Equals(subscriber.Type, GrainType, StringComparison.Ordinal);
}
