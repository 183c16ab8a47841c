using System.Collections.Concurrent;
using Actors.Storage;

namespace Actors.Hosting.Tests.Infrastructure;

/// <summary>Records grain lifecycle events per test (injected as a singleton).</summary>
public sealed class LifecycleLog
{
    public ConcurrentQueue<string> Events { get; } = new();
}

public sealed class Note
{
    public string Text { get; set; } = "";
}

public interface INoteGrain : IGrainWithStringKey
{
    Task<string> Read();

    Task Write(string text);
}

public sealed class NoteGrain([PersistentState("note")] IPersistentState<Note> note, LifecycleLog log) : Grain, INoteGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        log.Events.Enqueue($"activate:{GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        log.Events.Enqueue($"deactivate:{GetPrimaryKeyString()}:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task<string> Read() => Task.FromResult(note.State.Text);

    public Task Write(string text)
    {
        note.State.Text = text;
        return note.WriteStateAsync();
    }
}
