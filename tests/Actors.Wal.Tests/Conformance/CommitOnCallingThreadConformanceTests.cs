namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// The whole file-backed conformance suite (reopen, rotation, checkpoints, erase, concurrency, change feed) on a log that
/// commits on the calling thread (<see cref="WriteAheadLogOptions.CommitOnCallingThread"/>, which needs
/// <see cref="SyncPolicy.None"/>): committing without a committer thread must change no observable behaviour. The change
/// feed hands out durable changes only, so its tests flush first.
/// </summary>
public sealed class CommitOnCallingThreadConformanceTests : WriteAheadLogConformanceTests
{
    protected override void Configure(WriteAheadLogOptions options)
    {
        options.SyncPolicy = SyncPolicy.None;
        options.CommitOnCallingThread = true;
    }

    protected override ValueTask SettleChangesAsync(IEventLog log) => log.FlushAsync();
}
