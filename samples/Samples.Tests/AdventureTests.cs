using System.Collections.Immutable;
using Adventure.Grains;
using Orleans.TestingHost;

namespace Samples.Tests;

/// <summary>The Adventure sample: rooms, a player's commands, and a monster wandering on a grain timer.</summary>
[Trait("Category", "Integration")]
public sealed class AdventureTests
{
    private const long Hall = 1;
    private const long Armory = 2;
    private const long Cellar = 3;

    [Fact]
    public async Task Player_LooksTakesWalksAndDrops_RoomsKeepTrackOfThingsAndPlayers()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await DeployAsync(data, monsterPeriod: TimeSpan.FromDays(1));
        IPlayerGrain ann = await MapLoader.NewPlayerAsync(cluster.Client, "Ann", Hall);
        IPlayerGrain ben = await MapLoader.NewPlayerAsync(cluster.Client, "Ben", Hall);

        Assert.Equal("Hall: A draughty hall. Also here: Ben. Exits: down, north", await ann.Play("look"));
        Assert.Equal("You cannot go that way.", await ann.Play("go west"));
        Assert.StartsWith("Armory: Racks of rusty weapons. You see: sword", await ann.Play("north"), StringComparison.Ordinal);
        Assert.Equal("Taken: sword.", await ann.Play("take sword"));
        Assert.Equal("You carry: sword", await ann.Play("inv"));
        Assert.Equal("There is no shield here.", await ann.Play("take shield"));
        Assert.Equal("Hall: A draughty hall. Also here: Ben. Exits: down, north", await ann.Play("south"));
        Assert.Equal("Dropped: sword.", await ann.Play("drop sword"));
        Assert.Equal("Hall: A draughty hall. You see: sword. Also here: Ann. Exits: down, north", await ben.Play("look"));
        Assert.Equal("I don't understand.", await ben.Play("dance"));
    }

    [Fact]
    public async Task Monster_WandersOnItsTimer_BetweenRooms()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await DeployAsync(data, monsterPeriod: TimeSpan.FromMilliseconds(20));
        IMonsterGrain rat = cluster.Client.GetGrain<IMonsterGrain>(1);
        var visited = new HashSet<long>();

        await Eventually.TrueAsync(
            async () =>
            {
                visited.Add(await rat.CurrentRoom());
                return visited.Count >= 2;
            },
            SampleCluster.Patience,
            () => $"the rat to visit two rooms (visited: {string.Join(",", visited)})");

        Assert.DoesNotContain(-1, visited);
    }

    [Fact]
    public async Task Kill_WithoutAWeapon_ThePlayerDies_WithTheSword_TheMonsterDies()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await DeployAsync(data, monsterPeriod: TimeSpan.FromDays(1));
        IPlayerGrain unarmed = await MapLoader.NewPlayerAsync(cluster.Client, "Unarmed", Cellar);
        IPlayerGrain armed = await MapLoader.NewPlayerAsync(cluster.Client, "Armed", Armory);
        await armed.Play("take sword");
        await armed.Play("south");

        Assert.Equal("With your bare hands? The rat kills you.", await unarmed.Play("kill rat"));
        Assert.Equal("You are dead.", await unarmed.Play("look"));
        Assert.Equal("Cellar: Damp and dark. Beware of: rat. Exits: up", await armed.Play("down"));
        Assert.Equal("rat is dead.", await armed.Play("kill rat"));
        Assert.Equal("Cellar: Damp and dark. Exits: up", await armed.Play("look"));
    }

    private static async Task<TestCluster> DeployAsync(TempDirectory data, TimeSpan monsterPeriod)
    {
        TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        try
        {
            await MapLoader.LoadAsync(cluster.Client, Map(monsterPeriod));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static MapInfo Map(TimeSpan monsterPeriod) => new(
        [
            new RoomInfo(Hall, "Hall", "A draughty hall", ImmutableDictionary<string, long>.Empty.Add("north", Armory).Add("down", Cellar), []),
            new RoomInfo(Armory, "Armory", "Racks of rusty weapons", ImmutableDictionary<string, long>.Empty.Add("south", Hall), [new Thing("sword", "weapon")]),
            new RoomInfo(Cellar, "Cellar", "Damp and dark", ImmutableDictionary<string, long>.Empty.Add("up", Hall), []),
        ],
        [new MonsterInfo(1, "rat", Cellar, monsterPeriod)]);
}
