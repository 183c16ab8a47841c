using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.Log;

/// <summary>
/// The default <see cref="IGrainLogResolver"/>: every grain's streams are in the silo's one log; with a
/// <see cref="SingleSiloGuard"/>, refused while several silos are active.
/// </summary>
internal sealed class SiloGrainLogResolver(SiloLog log, SingleSiloGuard? guard) : IGrainLogResolver
{
    /// <inheritdoc />
    public ValueTask<IEventLog> GetLogAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        guard?.ThrowIfSeveralSilos(log.Directory);
        return ValueTask.FromResult(log.Log);
    }
}
