using Actors.Orleans.Storage;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Storage;

/// <summary>A provider's cache of state stream ids: a hit is the id <see cref="GrainStreamNames"/> makes, without a new string.</summary>
public sealed class StateStreamIdsTests
{
    private const string Provider = "Default/x";

    [Fact]
    public void Get_SameStateOfTheSameGrainTwice_ReturnsTheSameIdInstance()
    {
        var ids = new StateStreamIds(GrainStreamNames.StatePrefix(Provider));
        var grain = GrainId.Create("account", "42");

        var first = ids.Get("balance", grain);
        var second = ids.Get("balance", GrainId.Create("account", "42"));

        Assert.Equal(GrainStreamNames.State(Provider, "balance", grain), first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Get_ManyGrainsAndStatesSharingSlots_EachGetsItsOwnId()
    {
        var ids = new StateStreamIds(GrainStreamNames.StatePrefix(Provider));
        var pairs = Enumerable.Range(0, StateStreamIds.Capacity * 3)
            .SelectMany(i => new[] { ($"state{i % 3}", GrainId.Create("account", $"{i}")), ("a/b%", GrainId.Create("ledger", $"{i}")) })
            .ToArray();

        for (var round = 0; round < 2; round++)
        {
            foreach (var (state, grain) in pairs)
            {
                Assert.Equal(GrainStreamNames.State(Provider, state, grain), ids.Get(state, grain));
            }
        }
    }

    /// <summary>Issue 61: every write formatted its grain's stream id anew (172 B per replicated call in the profile).</summary>
    [Fact]
    public void Get_KnownStateOfAGrain_AllocatesNothing()
    {
        var ids = new StateStreamIds(GrainStreamNames.StatePrefix(Provider));
        var grain = GrainId.Create("account", "42");
        ids.Get("balance", grain);

        long fewest = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            ids.Get("balance", grain);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }
}
