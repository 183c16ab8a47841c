using Orleans.Storage;

namespace Actors.Orleans.Tests.Support;

/// <summary>An <see cref="IGrainState{T}"/> as Orleans's state bridge holds it.</summary>
public sealed class TestGrainState<T> : IGrainState<T>
{
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public T State { get; set; } = default!;

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}
