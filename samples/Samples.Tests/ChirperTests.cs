using System.Collections.Concurrent;
using Chirper.Grains;
using Orleans.TestingHost;

namespace Samples.Tests;

/// <summary>The Chirper sample: follow, publish, viewers (client observers), and accounts that come back from the log after a silo restart.</summary>
[Trait("Category", "Integration")]
public sealed class ChirperTests
{
    [Fact]
    public async Task Publish_FollowerReceivesTheChirp_AndBothAccountsViewersAreNotified()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        IChirperAccount alice = cluster.Client.GetGrain<IChirperAccount>("alice");
        IChirperAccount bob = cluster.Client.GetGrain<IChirperAccount>("bob");
        var aliceScreen = new Screen();
        var bobScreen = new Screen();
        await alice.SubscribeAsync(cluster.Client.CreateObjectReference<IChirperViewer>(aliceScreen));
        await bob.SubscribeAsync(cluster.Client.CreateObjectReference<IChirperViewer>(bobScreen));

        await bob.FollowUserIdAsync("alice");
        await alice.PublishMessageAsync("hello, followers");

        ChirperMessage seenByBob = await Eventually.WithinAsync(bobScreen.FirstChirp, SampleCluster.Patience, "bob's screen to show alice's chirp");
        ChirperMessage seenByAlice = await Eventually.WithinAsync(aliceScreen.FirstChirp, SampleCluster.Patience, "alice's screen to show her own chirp");
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
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        IChirperAccount alice = cluster.Client.GetGrain<IChirperAccount>("alice");
        IChirperAccount bob = cluster.Client.GetGrain<IChirperAccount>("bob");
        var screen = new Screen();
        IChirperViewer viewer = cluster.Client.CreateObjectReference<IChirperViewer>(screen);
        await bob.SubscribeAsync(viewer);
        await bob.FollowUserIdAsync("alice");
        await alice.PublishMessageAsync("first");
        await Eventually.WithinAsync(screen.FirstChirp, SampleCluster.Patience, "bob's screen to show the first chirp");

        await bob.UnfollowUserIdAsync("alice");
        await bob.UnsubscribeAsync(viewer);
        await alice.PublishMessageAsync("second");

        Assert.Empty(await alice.GetFollowersListAsync());
        Assert.Equal(["first"], (await bob.GetReceivedMessagesAsync()).Select(m => m.Message));
        Assert.Equal(["first"], screen.Chirps.Select(m => m.Message));
        await Eventually.TrueAsync(() => Task.FromResult(screen.Unfollowed.Count == 1), SampleCluster.Patience, () => "the viewer to hear of the unfollow");
        Assert.Equal(["alice"], screen.Unfollowed);
    }

    [Fact]
    public async Task Accounts_SurviveASiloRestart_FollowGraphAndChirpsComeBackFromTheLog()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using (TestCluster first = await SampleCluster.StartAsync(data.Path))
        {
            await first.Client.GetGrain<IChirperAccount>("carol").FollowUserIdAsync("dave");
            await first.Client.GetGrain<IChirperAccount>("dave").PublishMessageAsync("durable");
            await Eventually.TrueAsync(
                async () => (await first.Client.GetGrain<IChirperAccount>("carol").GetReceivedMessagesAsync()).Count == 1,
                SampleCluster.Patience,
                () => "carol to receive dave's chirp");

            // A graceful stop, then a new cluster on the same directory. Not KillSiloAsync: in-process it is no crash for the
            // log (the silo's lifecycle still stops and the log closes cleanly), so it would claim more than it shows.
            // SIGKILLed silo processes are the crash tests' and the demo's job.
            await first.StopAllSilosAsync();
        }

        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
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
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        IChirperAccount erin = cluster.Client.GetGrain<IChirperAccount>("erin");

        await Assert.ThrowsAsync<ArgumentException>(() => erin.PublishMessageAsync(new string('x', ChirperAccount.MaxMessageLength + 1)));

        Assert.Empty(await erin.GetPublishedMessagesAsync());
    }

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
