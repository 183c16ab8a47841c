namespace Actors.Orleans.Storage;

/// <summary>What a provider's log stream holds (<see cref="GrainStreamName"/>).</summary>
public enum GrainStreamKind
{
    /// <summary>One grain state of a grain storage provider (<c>s/...</c>): each record the whole state.</summary>
    State,

    /// <summary>The events of a journaled grain of a log-consistency provider (<c>j/...</c>).</summary>
    Journal,
}
