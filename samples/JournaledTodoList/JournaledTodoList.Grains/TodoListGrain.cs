using Orleans;
using Orleans.EventSourcing;
using Orleans.Providers;

namespace JournaledTodoList.Grains;

/// <summary>
/// A to-do list as a journaled grain: each change is an event; the state is their fold (<see cref="TransitionState"/>).
/// The grain names providers only: the silo decides what <c>LogStorage</c> (the journal) and
/// <see cref="TodoStorage.Name"/> (a grain storage) are; the sample's tests register the write-ahead log under both names.
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

    /// <summary>Folds one event into the state: a typed switch over the event types (no convention, no <c>dynamic</c>).</summary>
    protected override void TransitionState(TodoListState state, TodoListEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (@event)
        {
            case TodoItemAdded added:
                state.Apply(added);
                break;
            case TodoItemRenamed renamed:
                state.Apply(renamed);
                break;
            case TodoItemCompleted completed:
                state.Apply(completed);
                break;
            case TodoItemRemoved removed:
                state.Apply(removed);
                break;
            default:
                throw new ArgumentException($"To-do list {this.GetPrimaryKey()} has no transition for event type {@event?.GetType().FullName ?? "null"}.", nameof(@event));
        }
    }

    private void EnsureExists(Guid itemId)
    {
        if (!TentativeState.Items.Exists(item => item.ItemId == itemId))
        {
            throw new KeyNotFoundException($"To-do list {this.GetPrimaryKey()} has no item {itemId}.");
        }
    }
}

/// <summary>The grain storage the grain names with <c>[StorageProvider]</c>.</summary>
public static class TodoStorage
{
    /// <summary>The name the silo must configure a grain storage under.</summary>
    public const string Name = "todo";
}
