namespace Actors.Cluster.Diagnostics;

/// <summary>The silo's entry journal (the replicas' shared entry log), as its instruments observe it; counts since the journal was opened.</summary>
/// <param name="Fsyncs">Group-commit fsyncs: each made the records of every replica appended before it durable.</param>
/// <param name="Records">Records appended: entries, truncations and checkpoint installs of every replica.</param>
/// <param name="Segments">Segment files now.</param>
internal readonly record struct JournalObservation(long Fsyncs, long Records, int Segments);
