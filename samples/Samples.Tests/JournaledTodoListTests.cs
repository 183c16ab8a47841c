using JournaledTodoList.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Samples.Tests;

/// <summary>
/// The JournaledTodoList sample through the gateway: the history is a list of the abstract <see cref="TodoListEvent"/>
/// (which the JSON wire path could not read at all) and keeps each event's derived type; the journal is on the silo's
/// write-ahead log (the silo registers the log-consistency provider the grain names, "LogStorage", on it) and a restarted
/// silo replays it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class JournaledTodoListTests
{
    [Fact]
    public async Task GetHistory_ThroughTheGateway_AbstractEventsArriveAsTheirDerivedTypesLikeInTheSilo()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        Guid listId = Guid.NewGuid();
        ITodoListGrain list = cluster.Client.GetGrain<ITodoListGrain>(listId);

        Guid tea = await list.AddAsync("buy tea");
        Guid kettle = await list.AddAsync("descale the kettle");
        await list.RenameAsync(tea, "buy green tea");
        await list.CompleteAsync(kettle);
        await list.RemoveAsync(tea);

        (IReadOnlyList<TodoListEvent> events, int version) = await list.GetHistoryAsync();
        Assert.Equal(5, version);
        Assert.Collection(
            events,
            e => Assert.Equal((tea, "buy tea"), (Assert.IsType<TodoItemAdded>(e).ItemId, ((TodoItemAdded)e).Title)),
            e => Assert.Equal((kettle, "descale the kettle"), (Assert.IsType<TodoItemAdded>(e).ItemId, ((TodoItemAdded)e).Title)),
            e => Assert.Equal((tea, "buy green tea"), (Assert.IsType<TodoItemRenamed>(e).ItemId, ((TodoItemRenamed)e).Title)),
            e => Assert.Equal(kettle, Assert.IsType<TodoItemCompleted>(e).ItemId),
            e => Assert.Equal(tea, Assert.IsType<TodoItemRemoved>(e).ItemId));
        Assert.All(events, e => Assert.NotEqual(default, e.Timestamp));
        TodoItem remaining = Assert.Single(await list.GetItemsAsync());
        Assert.Equal((kettle, "descale the kettle", true), (remaining.ItemId, remaining.Title, remaining.IsDone));

        IGrainFactory inSilo = cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();
        (IReadOnlyList<TodoListEvent> localEvents, int localVersion) = await inSilo.GetGrain<ITodoListGrain>(listId).GetHistoryAsync();
        Assert.Equal(events, localEvents);
        Assert.Equal(version, localVersion);
    }

    [Fact]
    public async Task Complete_UnknownItem_ClientGetsKeyNotFoundAndNothingIsJournaled()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        ITodoListGrain list = cluster.Client.GetGrain<ITodoListGrain>(Guid.NewGuid());
        await list.AddAsync("water the plants");
        Guid unknown = Guid.NewGuid();

        KeyNotFoundException ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => list.CompleteAsync(unknown));

        Assert.Contains(unknown.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await list.GetHistoryAsync()).Version);
    }

    [Theory]
    [InlineData(TodoJournal.WriteAheadLog)]
    [InlineData(TodoJournal.OrleansLogStorageOnWriteAheadLogStorage)]
    public async Task TodoList_SurvivesASiloRestart_StateReplayedFromTheJournal(TodoJournal journal)
    {
        using var data = new TempDirectory("actors-samples-tests");
        Guid listId = Guid.NewGuid();
        await using (TestCluster firstCluster = await SampleCluster.StartAsync(data.Path, todoJournal: journal))
        {
            ITodoListGrain list = firstCluster.Client.GetGrain<ITodoListGrain>(listId);
            Guid first = await list.AddAsync("first");
            await list.AddAsync("second");
            await list.CompleteAsync(first);

            // A graceful stop, then a new cluster on the same directory. Not KillSiloAsync: in-process it is no crash for the
            // log (the silo's lifecycle still stops and the log closes cleanly), so it would claim more than it shows.
            // SIGKILLed silo processes are the crash tests' and the demo's job.
            await firstCluster.StopAllSilosAsync();
        }

        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path, todoJournal: journal);
        IReadOnlyList<TodoItem> items = await cluster.Client.GetGrain<ITodoListGrain>(listId).GetItemsAsync();
        Assert.Equal([("first", true), ("second", false)], items.Select(i => (i.Title, i.IsDone)));
        (IReadOnlyList<TodoListEvent> events, int version) = await cluster.Client.GetGrain<ITodoListGrain>(listId).GetHistoryAsync();
        Assert.Equal(3, version);
        Assert.Equal([typeof(TodoItemAdded), typeof(TodoItemAdded), typeof(TodoItemCompleted)], events.Select(e => e.GetType()));
    }
}
