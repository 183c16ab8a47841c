namespace Actors.Hosting;

/// <summary>
/// A service (typically a storage provider) told that the silo is being killed rather than stopped: no grain is
/// deactivated, and the participant must drop buffered, not-yet-durable work instead of flushing it, so the next start
/// sees only what was already durable. Register implementations as singletons of this interface.
/// </summary>
/// <remarks>
/// Called once, after all activations were dropped and before the host's service provider is disposed. After it the
/// participant's <c>Dispose</c>/<c>DisposeAsync</c> may still run and must not flush either.
/// </remarks>
public interface ISiloAbruptStopParticipant
{
    /// <summary>Abandons unflushed work (for the write-ahead log: <c>WriteAheadLog.AbandonAsync()</c>).</summary>
    ValueTask AbandonAsync();
}
