using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.Log;

/// <summary>
/// The seam between the providers and where a grain's streams live: returns the <see cref="IEventLog"/> that holds every
/// stream of one grain (its states, its journal, and what later providers keep per grain).
/// </summary>
/// <remarks>
/// <para>Without replication (the default) every grain's streams are in the silo's one log (<see cref="SiloLog"/>), and the
/// resolver refuses while several silos are active (each silo's log holds only what it stored). With
/// <c>AddWriteAheadLogReplication</c> (Actors.Orleans.Clustering) the log is the one of the grain's partition, served only
/// by that partition's current leader.</para>
/// <para>Contract: the returned log serves the grain's streams now; a resolver never returns a log that could hold a
/// stale or empty copy of them. When it cannot serve the grain it throws a <see cref="WriteAheadLogProviderException"/>
/// (nothing was read or stored). Thread-safe; a completed call does not pin the log beyond the caller's use.</para>
/// </remarks>
public interface IGrainLogResolver
{
    /// <summary>The log holding the streams of <paramref name="grainId"/>.</summary>
    /// <exception cref="WriteAheadLogProviderException">This silo cannot serve the grain's streams (the message says why; nothing was read or stored).</exception>
    ValueTask<IEventLog> GetLogAsync(GrainId grainId, CancellationToken cancellationToken = default);
}
