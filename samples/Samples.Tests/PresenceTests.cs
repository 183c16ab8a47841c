using System.Collections.Concurrent;
using System.Collections.Immutable;
using Actors;
using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Presence.Grains;

namespace Samples.Tests;

/// <summary>The Presence sample: heartbeats through stateless workers, watchers (observers), and a durable expiry reminder.</summary>
[Trait("Category", "Integration")]
public sealed class PresenceTests
{
    [Fact]
    public async Task Heartbeats_PutPlayersInTheGame_AndWatchersSeeTheScore()
    {
        await using TestCluster cluster = await DeployAsync(gameExpiry: TimeSpan.FromDays(1));
        Guid game = Guid.NewGuid();
        Guid p1 = Guid.NewGuid();
        Guid p2 = Guid.NewGuid();
        var watcher = new Watcher();
        await cluster.Client.GetGrain<IGameGrain>(game).ObserveGameUpdates(cluster.Client.CreateObjectReference<IGameObserver>(watcher));
        IPresenceGrain presence = cluster.Client.GetGrain<IPresenceGrain>(0);

        await presence.Heartbeat(new HeartbeatData(game, new GameStatus([p1, p2], "1:0")));

        await Eventually.WithinAsync(watcher.FirstScore, "the watcher to see the first score");
        Assert.Equal(game, (await cluster.Client.GetGrain<IPlayerGrain>(p1).GetCurrentGame())?.GetPrimaryKey());
        Assert.Equal(new[] { p1, p2 }.Order(), (await cluster.Client.GetGrain<IGameGrain>(game).GetPlayers()).Order());

        await presence.Heartbeat(new HeartbeatData(game, new GameStatus([p2], "1:1")));

        await Eventually.HoldsAsync(async () => await cluster.Client.GetGrain<IPlayerGrain>(p1).GetCurrentGame() is null, () => "player 1 to leave the game");
        await Eventually.HoldsAsync(() => Task.FromResult(watcher.Scores.Count == 2), () => $"two scores (seen: {string.Join(" ", watcher.Scores)})");
        Assert.Equal(["1:0", "1:1"], watcher.Scores);
        Assert.Equal(game, (await cluster.Client.GetGrain<IPlayerGrain>(p2).GetCurrentGame())?.GetPrimaryKey());
    }

    [Fact]
    public async Task GameWithoutHeartbeats_IsEndedByItsReminder_AndWatchersAreTold()
    {
        await using TestCluster cluster = await DeployAsync(gameExpiry: TimeSpan.FromMilliseconds(200));
        Guid game = Guid.NewGuid();
        Guid player = Guid.NewGuid();
        var watcher = new Watcher();
        IGameGrain grain = cluster.Client.GetGrain<IGameGrain>(game);
        await grain.ObserveGameUpdates(cluster.Client.CreateObjectReference<IGameObserver>(watcher));

        await grain.UpdateGameStatus(new GameStatus([player], "0:0"));

        Assert.Equal(game, await Eventually.WithinAsync(watcher.Ended, "the watcher to hear the game ended"));
        Assert.True(await grain.HasEnded());
        Assert.Empty(await grain.GetPlayers());
        Assert.Null(await cluster.Client.GetGrain<IPlayerGrain>(player).GetCurrentGame());
    }

    [Fact]
    public async Task GameWhoseSiloWasKilled_IsStillEndedAfterTheRestart_ByTheDurableReminder()
    {
        await using TestCluster cluster = await DeployAsync(gameExpiry: TimeSpan.FromSeconds(2));
        Guid game = Guid.NewGuid();
        await cluster.Client.GetGrain<IGameGrain>(game).UpdateGameStatus(new GameStatus([Guid.NewGuid()], "3:2"));

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);

        IGameGrain restarted = cluster.Client.GetGrain<IGameGrain>(game);
        Assert.Equal("3:2", await restarted.GetScore());
        await Eventually.HoldsAsync(() => restarted.HasEnded(), () => "the reminder to end the game after the restart");
    }

    private static Task<TestCluster> DeployAsync(TimeSpan gameExpiry) => SampleClusters.DeployAsync("PresenceStore", silo =>
    {
        silo.AddGrainsFromAssembly(typeof(GameGrain).Assembly);
        silo.UseWriteAheadLogReminderService("PresenceStore");
        silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));
        silo.Services.AddSingleton(new PresenceOptions { GameExpiry = gameExpiry, ExpiryCheckPeriod = TimeSpan.FromMilliseconds(100) });
    });

    /// <summary>A client watching a game.</summary>
    private sealed class Watcher : IGameObserver
    {
        private readonly ConcurrentQueue<string> _scores = new();
        private readonly TaskCompletionSource<string> _firstScore = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<Guid> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Scores => [.. _scores];

        public Task<string> FirstScore => _firstScore.Task;

        public Task<Guid> Ended => _ended.Task;

        public void UpdateGameScore(string score)
        {
            _scores.Enqueue(score);
            _firstScore.TrySetResult(score);
        }

        public void GameEnded(Guid game) => _ended.TrySetResult(game);
    }
}
