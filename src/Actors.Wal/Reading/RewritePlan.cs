using Actors.Wal.Format;

namespace Actors.Wal.Reading;

/// <summary>What a rewrite keeps of a stream and where what it removes lies.</summary>
/// <param name="Id">The stream id (UTF-8).</param>
/// <param name="Kept">The items of the copy, in Relocated-record order (by version, the base after the events it covers).</param>
/// <param name="SegmentsWithRemoved">Segments holding records with erased events or deleted (or, for an erase, superseded) checkpoints.</param>
/// <param name="EventsErased">Erased events still stored (reachable on the chain).</param>
/// <param name="DeletedCheckpoints">Versions of the selected checkpoints still stored, newest first.</param>
/// <param name="Rejection">Why the rewrite cannot be carried out (the state could not be rebuilt), or null.</param>
internal sealed record RewritePlan(byte[] Id, List<RecordItem> Kept, HashSet<uint> SegmentsWithRemoved, long EventsErased, List<long> DeletedCheckpoints, string? Rejection);
