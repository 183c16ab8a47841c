namespace Actors.Wal.Writing;

/// <summary>
/// The batching rule of the group commit (after FASTER's LogCommitPolicy): how long the writer lingers for more
/// batches and when a group is full. Swappable for experiments and tests.
/// </summary>
internal interface ICommitPolicy
{
    /// <summary>How long to wait after the first pending batch before collecting the group (zero: collect at once).</summary>
    TimeSpan Linger { get; }

    /// <summary>True when a group of <paramref name="bytes"/> bytes in <paramref name="requests"/> requests must be written now.</summary>
    bool IsFull(long bytes, int requests);
}

/// <summary>The default policy: a byte limit (<see cref="WriteAheadLogOptions.MaxBatchBytes"/>) and an optional linger delay.</summary>
internal sealed class SizeAndDelayCommitPolicy(int maxBytes, TimeSpan linger) : ICommitPolicy
{
    /// <inheritdoc />
    public TimeSpan Linger { get; } = linger;

    /// <inheritdoc />
    public bool IsFull(long bytes, int requests) => bytes >= maxBytes;
}
