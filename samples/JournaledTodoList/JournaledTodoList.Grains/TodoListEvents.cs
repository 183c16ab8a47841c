using Orleans;

namespace JournaledTodoList.Grains;

/// <summary>
/// Something that happened to a to-do list. Abstract: the journal, the history a client reads and the wire all carry
/// the derived type (polymorphism by alias).
/// </summary>
[GenerateSerializer]
public abstract record class TodoListEvent
{
    /// <summary>When the list's owner did it.</summary>
    [Id(0)]
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>An item was added.</summary>
[GenerateSerializer, Alias("todo.added")]
public sealed record class TodoItemAdded([property: Id(0)] Guid ItemId, [property: Id(1)] string Title) : TodoListEvent;

/// <summary>An item's title was changed.</summary>
[GenerateSerializer, Alias("todo.renamed")]
public sealed record class TodoItemRenamed([property: Id(0)] Guid ItemId, [property: Id(1)] string Title) : TodoListEvent;

/// <summary>An item was done.</summary>
[GenerateSerializer, Alias("todo.completed")]
public sealed record class TodoItemCompleted([property: Id(0)] Guid ItemId) : TodoListEvent;

/// <summary>An item was removed.</summary>
[GenerateSerializer, Alias("todo.removed")]
public sealed record class TodoItemRemoved([property: Id(0)] Guid ItemId) : TodoListEvent;
