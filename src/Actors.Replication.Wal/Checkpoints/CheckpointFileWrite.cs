using Actors.Wal.Entries;

namespace Actors.Replication.Wal.Checkpoints;

/// <summary>
/// The checkpoint file write a <see cref="ReplicaHost"/> has under way, on a thread-pool thread while its driver loop
/// goes on: one at a time (the replica asks for no other checkpoint write before it heard of this one).
/// </summary>
/// <remarks>Thread safety: <see cref="Start"/>, <see cref="Finished"/> and <see cref="WaitUntilReturned"/> from the driver
/// loop; <see cref="UnderWay"/> from any thread.</remarks>
internal sealed class CheckpointFileWrite
{
    private volatile Task? _write;

    /// <summary>Awaited on the writing thread before each checkpoint file is written (tests hold a write open with it); null: none.</summary>
    public Func<Task>? BeforeWrite { get; set; }

    /// <summary>The write under way (until <see cref="Finished"/>), or null.</summary>
    public Task? UnderWay => _write;

    /// <summary>Writes <paramref name="pending"/> on a thread-pool thread; <paramref name="returned"/> runs there once the write returned (written or failed).</summary>
    public void Start(PendingEntryLogCheckpoint pending, Action returned)
    {
        var write = BeforeWrite is { } gate
            ? Task.Run(async () =>
            {
                await gate().ConfigureAwait(false);
                pending.Write();
            })
            : Task.Run(pending.Write);
        _write = write;
        _ = write.ContinueWith(_ => returned(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The loop took the write's outcome.</summary>
    public void Finished() => _write = null;

    /// <summary>Blocks until a write under way returned (before an install replaces the checkpoint file).</summary>
    public void WaitUntilReturned()
    {
        if (_write is { IsCompleted: false } write)
        {
            write.Wait();
        }
    }
}
