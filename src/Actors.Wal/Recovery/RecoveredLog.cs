using Actors.Wal.Segments;

namespace Actors.Wal.Recovery;

/// <summary>What recovery leaves for the running log: where to continue writing and what it found.</summary>
internal sealed class RecoveredLog
{
    /// <summary>The directory lock (null when opened read-only).</summary>
    public IDisposable? DirectoryLock { get; init; }

    /// <summary>The segment the writer continues in (null when read-only or when the open failed for a full disk).</summary>
    public Segment? Active { get; init; }

    /// <summary>The next LSN to assign.</summary>
    public long NextLsn { get; init; }

    /// <summary>The highest record timestamp found (UTC ticks).</summary>
    public long LastTimestamp { get; init; }

    /// <summary>The end of the recovered records (the applied position the committer starts from).</summary>
    public long RecoveredPosition { get; init; }

    /// <summary>What recovery found.</summary>
    public required RecoveryStatistics Statistics { get; init; }

    /// <summary>A full disk kept recovery from preparing the next segment or the manifest: the log opens failed.</summary>
    public IOException? DiskFull { get; init; }

    /// <summary>Salvage gave up records below a durable claim: a fresh snapshot must replace the broken claims.</summary>
    public bool ClaimsViolated { get; init; }
}
