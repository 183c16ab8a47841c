using Orleans;

namespace JournaledTodoList.Grains;

/// <summary>A to-do list (keyed by list id) kept as a journal of <see cref="TodoListEvent"/>s.</summary>
public interface ITodoListGrain : IGrainWithGuidKey
{
    /// <summary>Adds an item; returns its id once the event is durable.</summary>
    Task<Guid> AddAsync(string title);

    /// <summary>Changes an item's title.</summary>
    /// <exception cref="KeyNotFoundException">The list has no such item.</exception>
    Task RenameAsync(Guid itemId, string title);

    /// <summary>Marks an item done.</summary>
    /// <exception cref="KeyNotFoundException">The list has no such item.</exception>
    Task CompleteAsync(Guid itemId);

    /// <summary>Removes an item.</summary>
    /// <exception cref="KeyNotFoundException">The list has no such item.</exception>
    Task RemoveAsync(Guid itemId);

    /// <summary>The items, in the order they were added.</summary>
    Task<IReadOnlyList<TodoItem>> GetItemsAsync();

    /// <summary>Every confirmed event, oldest first, and the list's version (how many there are).</summary>
    Task<(IReadOnlyList<TodoListEvent> Events, int Version)> GetHistoryAsync();
}
