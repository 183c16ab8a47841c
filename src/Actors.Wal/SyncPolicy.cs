namespace Actors.Wal;

/// <summary>When an acknowledged append is on stable storage.</summary>
public enum SyncPolicy
{
    /// <summary>
    /// An append completes after the fsync that covers it returned (group commit: one fsync serves every batch
    /// written before it). Nothing acknowledged is lost on process crash or power loss.
    /// </summary>
    Always = 0,

    /// <summary>
    /// An append completes once written to the operating system; the writer fsyncs every
    /// <see cref="WriteAheadLogOptions.SyncInterval"/>. A process crash loses nothing acknowledged; a power loss
    /// may lose what was acknowledged during the last interval.
    /// </summary>
    Interval = 1,

    /// <summary>
    /// An append completes once written to the operating system; fsync only on rotation, flush and dispose.
    /// A process crash loses nothing acknowledged; a power loss may lose anything not yet written back by the OS.
    /// </summary>
    None = 2,
}
