using Orleans;

namespace JournaledTodoList.Grains;

/// <summary>One item of a list.</summary>
[GenerateSerializer, Immutable]
public sealed record class TodoItem(
    [property: Id(0)] Guid ItemId,
    [property: Id(1)] string Title,
    [property: Id(2)] bool IsDone,
    [property: Id(3)] DateTimeOffset Added);

/// <summary>A list as its events left it; each <c>Apply</c> overload folds one event type (called by <see cref="TodoListGrain"/>'s <c>TransitionState</c>).</summary>
[GenerateSerializer]
public sealed class TodoListState
{
    /// <summary>The items in the order they were added.</summary>
    [Id(0)]
    public List<TodoItem> Items { get; set; } = [];

    public void Apply(TodoItemAdded added) => Items.Add(new TodoItem(added.ItemId, added.Title, IsDone: false, added.Timestamp));

    public void Apply(TodoItemRenamed renamed) => Replace(renamed.ItemId, item => item with { Title = renamed.Title });

    public void Apply(TodoItemCompleted completed) => Replace(completed.ItemId, item => item with { IsDone = true });

    public void Apply(TodoItemRemoved removed) => Items.RemoveAll(item => item.ItemId == removed.ItemId);

    private void Replace(Guid itemId, Func<TodoItem, TodoItem> change)
    {
        int index = Items.FindIndex(item => item.ItemId == itemId);
        if (index >= 0)
        {
            Items[index] = change(Items[index]);
        }
    }
}
