namespace Actors.Invocation;

/// <summary>
/// The grain ids of observers: type <see cref="GrainType"/>, key <c>{owner}/{observer}</c>, where the owner is the
/// client id a client sent in its Hello (or <c>silo-{name}</c> for a silo's local objects) and the observer a random
/// id. Grain type names starting with '$' are reserved, so no grain class can have these ids.
/// </summary>
public static class ObserverIds
{
    /// <summary>The grain type of every observer id.</summary>
    public const string GrainType = "$observer";

    /// <summary>A new observer id owned by <paramref name="owner"/>.</summary>
    public static GrainId Create(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return GrainId.Create(GrainType, $"{owner}/{Guid.NewGuid():N}");
    }

    /// <summary>Whether <paramref name="grainId"/> names an observer.</summary>
    public static bool IsObserver(GrainId grainId) => string.Equals(grainId.Type, GrainType, StringComparison.Ordinal);

    /// <summary>The owner part of an observer id.</summary>
    public static string OwnerOf(GrainId observerId)
    {
        int slash = observerId.Key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? observerId.Key : observerId.Key[..slash];
    }
}
