namespace Actors.Persistence.Wal.Format;

/// <summary>One part of a grain checkpoint: the journal's state or one named persistent state.</summary>
/// <param name="Kind"><see cref="GrainRecordKind.JournalEvent"/> for the journal's state, <see cref="GrainRecordKind.StateWrite"/> for a named state, <see cref="GrainRecordKind.StateClear"/> for a cleared named state (empty payload).</param>
/// <param name="Name">The persistent-state name ("" for the journal).</param>
/// <param name="Version">For the journal: the version the state covers; for a named state: the stream version of its last write (its etag).</param>
/// <param name="Payload">The codec's bytes.</param>
public readonly record struct CheckpointEntry(GrainRecordKind Kind, string Name, long Version, ReadOnlyMemory<byte> Payload);
