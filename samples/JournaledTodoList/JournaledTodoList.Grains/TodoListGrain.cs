using Actors;
using Actors.Journaling;
using Actors.Providers;

namespace JournaledTodoList.Grains;

/// <summary>
/// A to-do list as a journaled grain: each change is an event in the list's own log stream; the state is their fold.
/// Orleans's log-storage consistency provider keeps the journal in the grain's storage provider.
/// </summary>
[LogConsistencyProvider(ProviderName = "LogStorage")]
[StorageProvider(ProviderName = TodoStorage.Name)]
public sealed class TodoListGrain(TimeProvider clock) : JournaledGrain<TodoListState, TodoListEvent>, ITodoListGrain
{
    public async Task<Guid> AddAsync(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var itemId = Guid.NewGuid();
        RaiseEvent(new TodoItemAdded(itemId, title) { Timestamp = clock.GetUtcNow() });
        await ConfirmEvents();
        return itemId;
    }

    public async Task RenameAsync(Guid itemId, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        EnsureExists(itemId);
        RaiseEvent(new TodoItemRenamed(itemId, title) { Timestamp = clock.GetUtcNow() });
        await ConfirmEvents();
    }

    public async Task CompleteAsync(Guid itemId)
    {
        EnsureExists(itemId);
        RaiseEvent(new TodoItemCompleted(itemId) { Timestamp = clock.GetUtcNow() });
        await ConfirmEvents();
    }

    public async Task RemoveAsync(Guid itemId)
    {
        EnsureExists(itemId);
        RaiseEvent(new TodoItemRemoved(itemId) { Timestamp = clock.GetUtcNow() });
        await ConfirmEvents();
    }

    public Task<IReadOnlyList<TodoItem>> GetItemsAsync() => Task.FromResult<IReadOnlyList<TodoItem>>([.. State.Items]);

    public async Task<(IReadOnlyList<TodoListEvent> Events, int Version)> GetHistoryAsync()
    {
        int version = Version;
        return (await RetrieveConfirmedEvents(0, version), version);
    }

    private void EnsureExists(Guid itemId)
    {
        if (!TentativeState.Items.Exists(item => item.ItemId == itemId))
        {
            throw new KeyNotFoundException($"To-do list {this.GetPrimaryKey()} has no item {itemId}.");
        }
    }
}

/// <summary>The store the sample's journal is kept in.</summary>
public static class TodoStorage
{
    /// <summary>The name the silo must configure a store under.</summary>
    public const string Name = "todo";
}
