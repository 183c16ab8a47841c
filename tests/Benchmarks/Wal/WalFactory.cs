using Actors.Benchmarks.Infrastructure;
using Actors.Wal;

namespace Actors.Benchmarks.Wal;

/// <summary>Opens the engine with the benchmark's options, and simulates a crash.</summary>
internal static class WalFactory
{
    /// <summary>True: the engine is part of this build (kept so scenarios can say "pending" if it ever is not).</summary>
    public static bool IsAvailable => true;

    /// <summary>
    /// The benchmark's options: preallocated segments, zero-filled (prepared in the background) when
    /// <paramref name="fileState"/> is <see cref="FileState.Written"/>, the state the baselines are measured on; segments of
    /// <paramref name="segmentMegabytes"/> MiB when given (the engine's default otherwise).
    /// </summary>
    public static WriteAheadLogOptions Options(string directory, SyncPolicy policy, FileState fileState = FileState.Fallocated, int? segmentMegabytes = null)
    {
        var options = new WriteAheadLogOptions
        {
            Directory = directory,
            SyncPolicy = policy,
            PreallocateSegments = true,
            ZeroFillSegments = fileState == FileState.Written,
        };
        if (segmentMegabytes is { } mb)
        {
            options.SegmentSizeBytes = (long)mb << 20;
            options.MaxRecordSizeBytes = (int)Math.Min(options.MaxRecordSizeBytes, options.SegmentSizeBytes / 2);
        }

        return options;
    }

    public static async ValueTask<IEventLog> OpenAsync(WriteAheadLogOptions options, CancellationToken cancellationToken) =>
        await WriteAheadLog.OpenAsync(options, cancellationToken: cancellationToken);

    /// <summary>Simulates a crash: closes the log without the clean-shutdown steps.</summary>
    public static async ValueTask AbandonAsync(IEventLog log) => await ((WriteAheadLog)log).AbandonAsync();
}
