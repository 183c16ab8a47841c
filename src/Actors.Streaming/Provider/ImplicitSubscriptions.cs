using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Actors.Hosting;
using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// The implicit subscriptions of the silo's grain classes (<see cref="ImplicitStreamSubscriptionAttribute"/>): which grain
/// types subscribe to a namespace, and the stable id of each implicit subscription.
/// </summary>
internal sealed class ImplicitSubscriptions
{
    private readonly Dictionary<string, string[]> _typesByNamespace;

    public ImplicitSubscriptions(IGrainClassCatalog catalog)
    {
        _typesByNamespace = catalog.GrainClasses
            .SelectMany(c => c.GrainClass.GetCustomAttributes<ImplicitStreamSubscriptionAttribute>(inherit: true).Select(a => (a.Namespace, c.TypeName)))
            .GroupBy(p => p.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.TypeName).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The grains implicitly subscribed to <paramref name="streamId"/>: each type of its namespace, keyed by the stream's key.</summary>
    public IEnumerable<(Guid Id, GrainId GrainId)> For(StreamId streamId)
        => _typesByNamespace.TryGetValue(streamId.Namespace, out string[]? types)
            ? types.Select(t => (IdOf(t, streamId), new GrainId(t, streamId.Key)))
            : [];

    /// <summary>Whether <paramref name="grainId"/> is implicitly subscribed to <paramref name="streamId"/>.</summary>
    public bool IsSubscribed(GrainId grainId, StreamId streamId)
        => grainId.Key == streamId.Key && _typesByNamespace.TryGetValue(streamId.Namespace, out string[]? types) && types.Contains(grainId.Type, StringComparer.Ordinal);

    /// <summary>The stable id of the implicit subscription of grain type <paramref name="grainType"/> to <paramref name="streamId"/>.</summary>
    public static Guid IdOf(string grainType, StreamId streamId)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"implicit\n{grainType}\n{streamId.Namespace}\n{streamId.Key}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
