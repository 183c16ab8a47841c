using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Utilities;

namespace Chirper.Grains;

/// <summary>
/// An account: its follow graph and chirps in persistent state, its viewers (client observers) in an
/// <see cref="ObserverManager{TObserver}"/> that forgets viewers not renewed within <see cref="ViewerExpiry"/>.
/// </summary>
public sealed class ChirperAccount(
    [PersistentState("account", "AccountState")] IPersistentState<ChirperAccountState> state,
    TimeProvider clock,
    ILogger<ChirperAccount> logger) : Grain, IChirperAccount
{
    /// <summary>How many received chirps an account keeps.</summary>
    public const int ReceivedMessagesCacheSize = 100;

    /// <summary>How many published chirps an account keeps.</summary>
    public const int PublishedMessagesCacheSize = 100;

    /// <summary>The longest chirp accepted.</summary>
    public const int MaxMessageLength = 280;

    /// <summary>How long a viewer stays subscribed without subscribing again.</summary>
    public static readonly TimeSpan ViewerExpiry = TimeSpan.FromMinutes(10);

    private readonly ObserverManager<IChirperViewer> _viewers = new(ViewerExpiry, logger);

    private string UserName => this.GetPrimaryKeyString();

    public async Task PublishMessageAsync(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        if (message.Length > MaxMessageLength)
        {
            throw new ArgumentException($"A chirp has at most {MaxMessageLength} characters; this one has {message.Length}.", nameof(message));
        }

        var chirp = new ChirperMessage(message, clock.GetUtcNow(), UserName);
        Append(state.State.MyPublishedMessages, chirp, PublishedMessagesCacheSize);
        await state.WriteStateAsync();

        // Followers are told one-way: a slow follower does not hold up the publisher.
        foreach (string follower in state.State.Followers)
        {
            await GrainFactory.GetGrain<IChirperAccount>(follower).NewChirpAsync(chirp);
        }

        _viewers.Notify(viewer => viewer.NewChirp(chirp));
    }

    public Task<ImmutableList<ChirperMessage>> GetReceivedMessagesAsync(int count = 10) => Task.FromResult(Newest(state.State.RecentReceivedMessages, count));

    public Task<ImmutableList<ChirperMessage>> GetPublishedMessagesAsync(int count = 10) => Task.FromResult(Newest(state.State.MyPublishedMessages, count));

    public async Task FollowUserIdAsync(string username)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        if (username == UserName || !state.State.Subscriptions.Add(username))
        {
            return;
        }

        await GrainFactory.GetGrain<IChirperAccount>(username).AddFollowerAsync(UserName);
        await state.WriteStateAsync();
        _viewers.Notify(viewer => viewer.SubscriptionAdded(username));
    }

    public async Task UnfollowUserIdAsync(string username)
    {
        if (!state.State.Subscriptions.Remove(username))
        {
            return;
        }

        await GrainFactory.GetGrain<IChirperAccount>(username).RemoveFollowerAsync(UserName);
        await state.WriteStateAsync();
        _viewers.Notify(viewer => viewer.SubscriptionRemoved(username));
    }

    public Task<ImmutableList<string>> GetFollowingListAsync() => Task.FromResult(state.State.Subscriptions.ToImmutableList());

    public Task<ImmutableList<string>> GetFollowersListAsync() => Task.FromResult(state.State.Followers.ToImmutableList());

    public Task SubscribeAsync(IChirperViewer viewer)
    {
        _viewers.Subscribe(viewer, viewer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IChirperViewer viewer)
    {
        _viewers.Unsubscribe(viewer);
        return Task.CompletedTask;
    }

    public async Task NewChirpAsync(ChirperMessage chirp)
    {
        Append(state.State.RecentReceivedMessages, chirp, ReceivedMessagesCacheSize);
        await state.WriteStateAsync();
        _viewers.Notify(viewer => viewer.NewChirp(chirp));
    }

    public async Task AddFollowerAsync(string username)
    {
        if (state.State.Followers.Add(username))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveFollowerAsync(string username)
    {
        if (state.State.Followers.Remove(username))
        {
            await state.WriteStateAsync();
        }
    }

    private static void Append(List<ChirperMessage> messages, ChirperMessage chirp, int capacity)
    {
        messages.Add(chirp);
        if (messages.Count > capacity)
        {
            messages.RemoveRange(0, messages.Count - capacity);
        }
    }

    private static ImmutableList<ChirperMessage> Newest(List<ChirperMessage> messages, int count) =>
        messages.AsEnumerable().Reverse().Take(Math.Max(0, count)).ToImmutableList();
}
