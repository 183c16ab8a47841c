using Actors.Wal;

namespace Actors.Benchmarks.Wal;

/// <summary>
/// Opens the engine. The calls to <c>WriteAheadLog.OpenAsync</c>/<c>AbandonAsync</c> compile only when the
/// engine is present (symbol <c>WAL_ENGINE</c>); without it every WAL column reports "pending".
/// </summary>
internal static class WalFactory
{
#if WAL_ENGINE
    public static bool IsAvailable => true;
#else
    public static bool IsAvailable => false;
#endif

    public const string PendingNote = "pending (engine not in this build)";

    public static WriteAheadLogOptions Options(string directory, SyncPolicy policy) =>
        new()
        {
            Directory = directory,
            SyncPolicy = policy,
        };

    public static async ValueTask<IEventLog> OpenAsync(WriteAheadLogOptions options, CancellationToken cancellationToken)
    {
#if WAL_ENGINE
        return await WriteAheadLog.OpenAsync(options, cancellationToken: cancellationToken);
#else
        await Task.CompletedTask;
        throw new NotSupportedException($"The log engine is not in this build; cannot open {options.Directory}.");
#endif
    }

    /// <summary>Simulates a crash: closes the log without the clean-shutdown steps.</summary>
    public static async ValueTask AbandonAsync(IEventLog log)
    {
#if WAL_ENGINE
        await ((WriteAheadLog)log).AbandonAsync();
#else
        await Task.CompletedTask;
        throw new NotSupportedException($"The log engine is not in this build; cannot abandon {log.GetType().Name}.");
#endif
    }

    /// <summary>How long the last open took by the engine's own account, or null.</summary>
    public static TimeSpan? RecoveryDuration(IEventLog log) => log.GetStatistics().Recovery.Duration;
}
