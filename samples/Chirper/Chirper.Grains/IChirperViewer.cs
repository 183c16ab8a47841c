using Orleans;

namespace Chirper.Grains;

/// <summary>
/// What a viewer of an account (a client's screen) is told: the account's new chirps and changes to whom it follows.
/// Void methods are one-way notifications.
/// </summary>
public interface IChirperViewer : IGrainObserver
{
    void NewChirp(ChirperMessage message);

    void SubscriptionAdded(string username);

    void SubscriptionRemoved(string username);
}
