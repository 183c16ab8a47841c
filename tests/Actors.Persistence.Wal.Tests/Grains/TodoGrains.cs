using Actors.Journaling;

namespace Actors.Persistence.Wal.Tests.Grains;

// Orleans-shaped journaled grain: the events and the state carry only Orleans's serializer attributes
// ([GenerateSerializer], [Id], [Alias]); no [EventType], no store attribute on the grain.

[GenerateSerializer, Alias("tests.wal.todo-event")]
public abstract class TodoEvent
{
}

[GenerateSerializer, Alias("tests.wal.todo-added")]
public sealed class TodoAdded : TodoEvent
{
    [Id(0)]
    public string Title { get; init; } = string.Empty;

    [Id(1)]
    public DateTimeOffset At { get; init; }
}

[GenerateSerializer, Alias("tests.wal.todo-completed")]
public sealed class TodoCompleted : TodoEvent
{
    [Id(0)]
    public int Index { get; init; }
}

[GenerateSerializer]
public sealed class TodoState
{
    // A private field: only the binary serializer sees it (JSON would store nothing for it).
    [Id(0)]
    private readonly List<string> _titles = [];

    [Id(1)]
    public HashSet<int> Done { get; set; } = [];

    public IReadOnlyList<string> Titles => _titles;

    public void Apply(TodoAdded @event) => _titles.Add(@event.Title);

    public void Apply(TodoCompleted @event) => Done.Add(@event.Index);
}

[GenerateSerializer]
public sealed record TodoSnapshot([property: Id(0)] string[] Titles, [property: Id(1)] int[] Done, [property: Id(2)] int Version);

public interface ITodoListGrain : IGrainWithStringKey
{
    Task Add(string title);

    Task Complete(int index);

    Task<TodoSnapshot> Get();
}

public sealed class TodoListGrain : JournaledGrain<TodoState, TodoEvent>, ITodoListGrain
{
    public async Task Add(string title)
    {
        RaiseEvent(new TodoAdded { Title = title, At = DateTimeOffset.UnixEpoch });
        await ConfirmEvents();
    }

    public async Task Complete(int index)
    {
        RaiseEvent(new TodoCompleted { Index = index });
        await ConfirmEvents();
    }

    public Task<TodoSnapshot> Get() => Task.FromResult(new TodoSnapshot([.. State.Titles], [.. State.Done.Order()], Version));
}
