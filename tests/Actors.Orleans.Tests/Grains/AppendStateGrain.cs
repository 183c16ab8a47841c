namespace Actors.Orleans.Tests.Grains;

public interface IAppendStateGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="value"/> to the state's list, sets a padding of <paramref name="paddingBytes"/>, and writes the state.</summary>
    Task Append(int value, int paddingBytes);

    /// <summary>The list as read at activation and changed since.</summary>
    Task<int[]> Items();

    /// <summary>Deactivates the grain: the next call reads its state from the log again.</summary>
    Task Deactivate();
}

/// <summary>An <see cref="IPersistentState{TState}"/> on the log by the attribute: each write stores the whole list so far.</summary>
[WriteAheadLog]
public sealed class AppendStateGrain([PersistentState("items")] IPersistentState<AppendedItems> items) : Grain, IAppendStateGrain
{
    public async Task Append(int value, int paddingBytes)
    {
        items.State.Values.Add(value);
        items.State.Padding = new string((char)('a' + (value % 26)), paddingBytes);
        await items.WriteStateAsync();
    }

    public Task<int[]> Items() => Task.FromResult(items.State.Values.ToArray());

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

[GenerateSerializer]
public sealed class AppendedItems
{
    [Id(0)]
    public List<int> Values { get; set; } = [];

    [Id(1)]
    public string Padding { get; set; } = "";
}
