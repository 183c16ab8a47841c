using System.Collections.Immutable;
using Orleans;
using Orleans.Concurrency;

namespace Chirper.Grains;

/// <summary>A Chirper user account, keyed by user name.</summary>
public interface IChirperAccount : IGrainWithStringKey
{
    /// <summary>Publishes a chirp to this account's followers and viewers.</summary>
    Task PublishMessageAsync(string message);

    /// <summary>The most recent chirps this account received from the accounts it follows, newest first.</summary>
    Task<ImmutableList<ChirperMessage>> GetReceivedMessagesAsync(int count = 10);

    /// <summary>The most recent chirps this account published, newest first.</summary>
    Task<ImmutableList<ChirperMessage>> GetPublishedMessagesAsync(int count = 10);

    Task FollowUserIdAsync(string username);

    Task UnfollowUserIdAsync(string username);

    Task<ImmutableList<string>> GetFollowingListAsync();

    Task<ImmutableList<string>> GetFollowersListAsync();

    /// <summary>Adds (or renews) a viewer; viewers renew within the account's subscription expiry.</summary>
    Task SubscribeAsync(IChirperViewer viewer);

    Task UnsubscribeAsync(IChirperViewer viewer);

    /// <summary>Called by an account this one follows when it publishes.</summary>
    [OneWay]
    Task NewChirpAsync(ChirperMessage chirp);

    /// <summary>Called by an account that starts following this one.</summary>
    Task AddFollowerAsync(string username);

    /// <summary>Called by an account that stops following this one.</summary>
    Task RemoveFollowerAsync(string username);
}
