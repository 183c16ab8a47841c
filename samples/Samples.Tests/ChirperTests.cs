using System.Collections.Concurrent;
using Actors;
using Actors.Hosting;
using Actors.TestingHost;
using Chirper.Grains;

namespace Samples.Tests;

/// <summary>The Chirper sample: follow, publish, viewers (client observers), and accounts that survive a silo crash.</summary>
[Trait("Category", "Integration")]
public sealed class ChirperTests
{
    [Fact]
    public async Task Publish_FollowerReceivesTheChirp_AndBothAccountsViewersAreNotified()
    {
        await using TestCluster cluster = await DeployAsync();
        IChirperAccount alice = cluster.Client.GetGrain<IChirperAccount>("alice");
        IChirperAccount bob = cluster.Client.GetGrain<IChirperAccount>("bob");
        var aliceScreen = new Screen();
        var bobScreen = new Screen();
        await alice.SubscribeAsync(cluster.Client.CreateObjectReference<IChirperViewer>(aliceScreen));
        await bob.SubscribeAsync(cluster.Client.CreateObjectReference<IChirperViewer>(bobScreen));

        await bob.FollowUserIdAsync("alice");
        await alice.PublishMessageAsync("hello, followers");

        ChirperMessage seenByBob = await Eventually.WithinAsync(bobScreen.FirstChirp, "bob's screen to show alice's chirp");
        ChirperMessage seenByAlice = await Eventually.WithinAsync(aliceScreen.FirstChirp, "alice's screen to show her own chirp");
        Assert.Equal(("hello, followers", "alice"), (seenByBob.Message, seenByBob.PublisherUserName));
        Assert.Equal(seenByBob, seenByAlice);
        Assert.Equal(["alice"], bobScreen.Followed);
        Assert.Equal([seenByBob], await bob.GetReceivedMessagesAsync());
        Assert.Equal(["bob"], await alice.GetFollowersListAsync());
        Assert.Equal(["alice"], await bob.GetFollowingListAsync());
    }

    [Fact]
    public async Task Unfollow_StopsDelivery_AndUnsubscribedViewersHearNothing()
    {
        await using TestCluster cluster = await DeployAsync();
        IChirperAccount alice = cluster.Client.GetGrain<IChirperAccount>("alice");
        IChirperAccount bob = cluster.Client.GetGrain<IChirperAccount>("bob");
        var screen = new Screen();
        IChirperViewer viewer = cluster.Client.CreateObjectReference<IChirperViewer>(screen);
        await bob.SubscribeAsync(viewer);
        await bob.FollowUserIdAsync("alice");
        await alice.PublishMessageAsync("first");
        await Eventually.WithinAsync(screen.FirstChirp, "bob's screen to show the first chirp");

        await bob.UnfollowUserIdAsync("alice");
        await bob.UnsubscribeAsync(viewer);
        await alice.PublishMessageAsync("second");

        Assert.Empty(await alice.GetFollowersListAsync());
        Assert.Equal(["first"], (await bob.GetReceivedMessagesAsync()).Select(m => m.Message));
        Assert.Equal(["first"], screen.Chirps.Select(m => m.Message));
        await Eventually.HoldsAsync(() => Task.FromResult(screen.Unfollowed.Count == 1), () => "the viewer to hear of the unfollow");
        Assert.Equal(["alice"], screen.Unfollowed);
    }

    [Fact]
    public async Task Accounts_SurviveAKilledSilo_FollowGraphAndChirpsComeBackFromTheLog()
    {
        await using TestCluster cluster = await DeployAsync();
        await cluster.Client.GetGrain<IChirperAccount>("carol").FollowUserIdAsync("dave");
        await cluster.Client.GetGrain<IChirperAccount>("dave").PublishMessageAsync("durable");
        await Eventually.HoldsAsync(
            async () => (await cluster.Client.GetGrain<IChirperAccount>("carol").GetReceivedMessagesAsync()).Count == 1,
            () => "carol to receive dave's chirp");

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);

        IChirperAccount carol = cluster.Client.GetGrain<IChirperAccount>("carol");
        IChirperAccount dave = cluster.Client.GetGrain<IChirperAccount>("dave");
        Assert.Equal(["dave"], await carol.GetFollowingListAsync());
        Assert.Equal(["carol"], await dave.GetFollowersListAsync());
        Assert.Equal(["durable"], (await carol.GetReceivedMessagesAsync()).Select(m => m.Message));
        Assert.Equal(["durable"], (await dave.GetPublishedMessagesAsync()).Select(m => m.Message));
    }

    [Fact]
    public async Task PublishMessage_TooLong_IsRefusedAndNothingIsStored()
    {
        await using TestCluster cluster = await DeployAsync();
        IChirperAccount erin = cluster.Client.GetGrain<IChirperAccount>("erin");

        await Assert.ThrowsAsync<ArgumentException>(() => erin.PublishMessageAsync(new string('x', ChirperAccount.MaxMessageLength + 1)));

        Assert.Empty(await erin.GetPublishedMessagesAsync());
    }

    private static Task<TestCluster> DeployAsync() => SampleClusters.DeployAsync("AccountState", silo => silo.AddGrain<ChirperAccount>());

    /// <summary>A client's screen: records what the account's viewer is told.</summary>
    private sealed class Screen : IChirperViewer
    {
        private readonly ConcurrentQueue<ChirperMessage> _chirps = new();
        private readonly ConcurrentQueue<string> _followed = new();
        private readonly ConcurrentQueue<string> _unfollowed = new();
        private readonly TaskCompletionSource<ChirperMessage> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ChirperMessage> FirstChirp => _first.Task;

        public IReadOnlyList<ChirperMessage> Chirps => [.. _chirps];

        public IReadOnlyList<string> Followed => [.. _followed];

        public IReadOnlyList<string> Unfollowed => [.. _unfollowed];

        public void NewChirp(ChirperMessage message)
        {
            _chirps.Enqueue(message);
            _first.TrySetResult(message);
        }

        public void SubscriptionAdded(string username) => _followed.Enqueue(username);

        public void SubscriptionRemoved(string username) => _unfollowed.Enqueue(username);
    }
}
